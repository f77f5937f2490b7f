package dev.vigil.cli.demo;

import java.io.PrintWriter;

/** The demo's output: one line per event, prefixed with the seconds since the demo started. */
public final class Console {
  private final PrintWriter out;
  private final long started = System.nanoTime();

  public Console(PrintWriter out) {
    this.out = out;
  }

  /** A timestamped event line. */
  public synchronized void event(String format, Object... args) {
    out.printf("[%6.1fs] %s%n", (System.nanoTime() - started) / 1e9, String.format(format, args));
    out.flush();
  }

  /** A plain line (summaries, instructions). */
  public synchronized void line(String text) {
    out.println(text);
    out.flush();
  }

  /** Text without a line end, for "starting X… ready" pairs. */
  public synchronized void partial(String text) {
    out.print(text);
    out.flush();
  }
}
