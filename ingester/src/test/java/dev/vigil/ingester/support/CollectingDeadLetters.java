package dev.vigil.ingester.support;

import dev.vigil.ingester.pipeline.DeadLetter;
import dev.vigil.ingester.pipeline.DeadLetterSink;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Dead letters kept in a list; can be told to fail the first writes. */
public final class CollectingDeadLetters implements DeadLetterSink {
  public final List<DeadLetter> letters = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();

  public CollectingDeadLetters failFirst(int writes) {
    failuresLeft.set(writes);
    return this;
  }

  @Override
  public void write(List<DeadLetter> batch) throws IOException {
    if (failuresLeft.getAndDecrement() > 0) {
      throw new IOException("programmed dead-letter failure");
    }
    letters.addAll(batch);
  }

  @Override
  public String describe() {
    return "memory";
  }
}
