package dev.vigil.core.parse;

/**
 * Numbers records 1, 2, 3 … within an object, and knows which one was being read when the input
 * broke off, so a rejection names the right record.
 */
public final class RecordCounter {
  private long started;
  private long finished;

  /** Starts the next record and returns its number. */
  public long next() {
    return ++started;
  }

  public void done() {
    finished = started;
  }

  /**
   * The record being read now: the one started but not finished, or the one after the last
   * finished.
   */
  public long inProgress() {
    return started > finished ? started : finished + 1;
  }

  /**
   * Ends the record being read as a failure (it may not have been started yet when the input broke
   * before it) and returns its number, so the next record gets the next number.
   */
  public long failed() {
    long failed = inProgress();
    started = failed;
    finished = failed;
    return failed;
  }

  public long count() {
    return started;
  }
}
