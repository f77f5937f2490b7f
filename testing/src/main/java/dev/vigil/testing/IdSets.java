package dev.vigil.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Equality of two large sets of document ids in linear time, reporting what is missing and what is
 * extra. AssertJ's {@code containsExactlyInAnyOrderElementsOf} compares element by element
 * (quadratic): on 150,000 ids it took minutes of CPU, and over 20 minutes on a loaded machine.
 */
public final class IdSets {
  private static final int SHOWN = 10;

  private IdSets() {}

  /** Fails unless {@code actual} holds exactly the ids of {@code expected}, each once. */
  public static void assertSame(
      String what, Collection<String> actual, Collection<String> expected) {
    assertSame(what, actual, expected, null);
  }

  /**
   * As {@link #assertSame(String, Collection, Collection)}, also reporting the time to drain: from
   * {@code since} (the fault scenario's start) to now, when everything has arrived.
   */
  public static void assertSame(
      String what, Collection<String> actual, Collection<String> expected, Instant since) {
    String drained =
        since == null
            ? ""
            : String.format(
                "; drained in %.1f s", Duration.between(since, Instant.now()).toMillis() / 1000.0);
    Set<String> actualSet = new HashSet<>(actual);
    Set<String> expectedSet = new HashSet<>(expected);
    List<String> missing =
        expectedSet.stream().filter(id -> !actualSet.contains(id)).sorted().toList();
    List<String> extra =
        actualSet.stream().filter(id -> !expectedSet.contains(id)).sorted().toList();
    int duplicates = actual.size() - actualSet.size();
    String report =
        String.format(
                "%s: expected %d ids, found %d; missing %d %s, extra %d %s, duplicates %d",
                what,
                expectedSet.size(),
                actual.size(),
                missing.size(),
                first(missing),
                extra.size(),
                first(extra),
                duplicates)
            + drained;
    System.out.println("ids " + report);
    if (!missing.isEmpty() || !extra.isEmpty() || duplicates != 0) {
      throw new AssertionError(report);
    }
  }

  private static List<String> first(List<String> ids) {
    return ids.subList(0, Math.min(SHOWN, ids.size()));
  }
}
