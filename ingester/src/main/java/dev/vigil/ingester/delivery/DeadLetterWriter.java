package dev.vigil.ingester.delivery;

import java.io.IOException;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Writes dead letters, retrying with backoff until the destination takes them: a document counts as
 * settled only once its dead letter is stored, so a failing destination holds messages back instead
 * of losing data.
 */
public final class DeadLetterWriter {
  private static final Logger LOG = Logger.getLogger(DeadLetterWriter.class);

  private final DeadLetterSink sink;
  private final Backoff backoff;
  private final Abort abort;
  private final IngesterMetrics metrics;

  public DeadLetterWriter(
      DeadLetterSink sink, Backoff backoff, Abort abort, IngesterMetrics metrics) {
    this.sink = sink;
    this.backoff = backoff;
    this.abort = abort;
    this.metrics = metrics;
  }

  /**
   * @throws Abort.Abandoned when shutdown comes before the destination took them
   */
  public void write(List<DeadLetter> letters) {
    if (letters.isEmpty()) {
      return;
    }
    for (int attempt = 0; ; attempt++) {
      abort.check();
      try {
        sink.write(letters);
        letters.stream()
            .map(DeadLetter::kind)
            .distinct()
            .forEach(
                kind ->
                    metrics.deadLetters(
                        kind.id(), letters.stream().filter(l -> l.kind() == kind).count()));
        return;
      } catch (IOException | RuntimeException e) {
        metrics.deadLetterWriteFailed();
        LOG.warnf(
            "cannot write %d dead letters to %s (attempt %d, retrying): %s",
            letters.size(), sink.describe(), attempt + 1, e.toString());
        abort.sleep(backoff.delay(attempt));
      }
    }
  }

  /** True for an object the dead-letter destination itself wrote. */
  public boolean wrote(dev.vigil.core.parse.ObjectRef ref) {
    return sink.wrote(ref);
  }

  public String describe() {
    return sink.describe();
  }
}
