package dev.vigil.parts;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A child process of a real part: output appended to its log file, stopped by PID (with its
 * descendants), and killed (gracefully, by PID) when the JVM exits so no part outlives the test run
 * or the demo.
 */
public final class ManagedProcess {
  private static final Set<ManagedProcess> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> RUNNING.forEach(p -> p.stop(Duration.ofSeconds(10))), "vigil-parts-stop"));
  }

  private final String name;
  private final Path log;
  private final Process process;

  private ManagedProcess(String name, Path log, Process process) {
    this.name = name;
    this.log = log;
    this.process = process;
  }

  public static ManagedProcess start(
      String name, List<String> command, Path workDir, Map<String, String> env) {
    Path log = PartLogs.file(name);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    try {
      ManagedProcess started = new ManagedProcess(name, log, builder.start());
      RUNNING.add(started);
      return started;
    } catch (IOException e) {
      throw new PartStartException(
          "cannot start " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
    }
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Polls {@code ready} until it holds; fails at once, with the log's tail, if the process exits,
   * and after {@code timeout} otherwise.
   */
  public void awaitReady(String what, Duration timeout, BooleanSupplier ready) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (ready.getAsBoolean()) {
        return;
      }
      if (!process.isAlive()) {
        throw new PartStartException(
            name
                + " exited with code "
                + process.exitValue()
                + " before "
                + what
                + "; log "
                + log
                + ":\n"
                + PartLogs.tail(log, 40));
      }
      if (System.nanoTime() > deadline) {
        kill();
        throw new PartStartException(
            name
                + " not "
                + what
                + " after "
                + timeout.toSeconds()
                + " s; log "
                + log
                + ":\n"
                + PartLogs.tail(log, 40));
      }
      try {
        Thread.sleep(200); // polling interval between readiness probes, not a wait for an outcome
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PartStartException("interrupted while waiting for " + name, e);
      }
    }
  }

  /**
   * SIGTERM to the process and its descendants; SIGKILL for whatever is left after the grace
   * period.
   */
  public void stop(Duration grace) {
    List<ProcessHandle> tree = processTree();
    tree.forEach(ProcessHandle::destroy);
    for (ProcessHandle handle : tree) {
      try {
        handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception timedOutOrInterrupted) {
        handle.destroyForcibly();
      }
    }
    awaitExit();
    RUNNING.remove(this);
  }

  /** SIGKILL to the process and its descendants, as a crash would. */
  public void kill() {
    processTree().forEach(ProcessHandle::destroyForcibly);
    awaitExit();
    RUNNING.remove(this);
  }

  private List<ProcessHandle> processTree() {
    List<ProcessHandle> tree = new java.util.ArrayList<>(process.descendants().toList());
    tree.add(0, process.toHandle());
    return tree;
  }

  private void awaitExit() {
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + pid() + ", log " + log + ")";
  }
}
