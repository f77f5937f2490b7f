package dev.vigil.ingester.pipeline;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The signal that in-flight work is abandoned (shutdown past its grace period): retry loops stop,
 * waits end, and the documents not yet settled leave their messages to be released.
 */
public final class Abort {
  private final CountDownLatch latch = new CountDownLatch(1);

  public void abort() {
    latch.countDown();
  }

  public boolean aborted() {
    return latch.getCount() == 0;
  }

  /**
   * Waits {@code delay} unless aborted first.
   *
   * @throws Abandoned when aborted (before or during the wait)
   */
  public void sleep(Duration delay) {
    try {
      if (latch.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new Abandoned("shutting down");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Abandoned("interrupted");
    }
  }

  public void check() {
    if (aborted()) {
      throw new Abandoned("shutting down");
    }
  }

  /** Work given up before it was settled; its message is released, not deleted. */
  public static class Abandoned extends RuntimeException {
    public Abandoned(String message) {
      super(message);
    }
  }
}
