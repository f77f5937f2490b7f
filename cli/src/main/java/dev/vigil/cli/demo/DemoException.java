package dev.vigil.cli.demo;

/** Something the demo cannot do, with a message saying what and how to fix it. */
public final class DemoException extends RuntimeException {
  public DemoException(String message) {
    super(message);
  }

  public DemoException(String message, Throwable cause) {
    super(message, cause);
  }
}
