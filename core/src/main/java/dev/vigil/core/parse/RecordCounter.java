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

  public long count() {
    return started;
  }
}
