package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.LogType;
import dev.vigil.testing.DamagedRecordArrays;
import dev.vigil.testing.DamagedRecordArrays.Container;
import dev.vigil.testing.DamagedRecordArrays.Corpus;
import dev.vigil.testing.IdSets;
import java.io.ByteArrayInputStream;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Damage inside an array of records held by a root value — findings in EventBridge events and
 * ASFF/GuardDuty lists, log events in CloudWatch Logs payloads — costs only the damaged bytes: over
 * a seeded corpus of syntax errors, stray elements, garbage and truncation, the documents are
 * exactly the records whose own bytes Jackson reads as a sound record, and every damaged record is
 * accounted for by a rejection (alone, or inside a skipped range).
 */
class DamagedRecordArraysTest {
  private static final ObjectRef KEY = new ObjectRef("b", "damaged/2026/11/27/object.json");
  private static final int SEEDS = 30;

  @ParameterizedTest
  @EnumSource(Container.class)
  void documentsAreExactlyTheWellFormedRecordsAndEveryDamagedOneIsAccountedFor(Container container)
      throws Exception {
    LogType type =
        switch (container) {
          case SECURITY_HUB_EVENTBRIDGE, ASFF_FINDINGS -> LogType.SECURITYHUB;
          case GUARDDUTY_FINDINGS -> LogType.GUARDDUTY;
          case CLOUDWATCH_LOG_EVENTS -> LogType.CLOUDWATCH;
        };
    int damaged = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      Corpus corpus = DamagedRecordArrays.generate(seed, container, 4, 30, 6, seed % 2 == 0);
      CollectingSink sink = new CollectingSink();
      ObjectParser.standard().parse(new ByteArrayInputStream(corpus.bytes()), KEY, type, sink);

      List<String> ids =
          sink.sources().stream().map(d -> d.path(container.idField()).asText()).toList();
      try {
        IdSets.assertSame(container + " seed " + seed, ids, corpus.wellFormedIds());
      } catch (AssertionError e) {
        StringBuilder why = new StringBuilder(e.getMessage()).append("; rejections:");
        sink.rejections.forEach(r -> why.append("\n  ").append(r));
        throw new AssertionError(why.toString(), e);
      }
      assertThat(sink.rejections)
          .as("%s seed %d: rejections", container, seed)
          .allSatisfy(
              r -> {
                assertThat(r.record()).isPositive();
                assertThat(r.byteOffset()).isNotNegative();
              })
          .isSortedAccordingTo(Comparator.comparingLong(Rejection::byteOffset));
      for (DamagedRecordArrays.Written record : corpus.damagedRecords()) {
        assertThat(sink.rejections)
            .as(
                "%s seed %d: a rejection covers the damaged record at byte %d",
                container, seed, record.offset())
            .anySatisfy(r -> assertThat(covers(r, record.offset())).isTrue());
        damaged++;
      }
      long end = 0;
      for (Rejection r : sink.rejections) {
        if (r.isSkippedRange()) {
          assertThat(r.byteOffset())
              .as("%s seed %d: skipped ranges do not overlap", container, seed)
              .isGreaterThanOrEqualTo(end);
          end = r.byteOffset() + r.skippedBytes();
          assertThat(end).isLessThanOrEqualTo(corpus.bytes().length);
          assertThat(r.reason()).contains("skipped " + r.skippedBytes() + " bytes");
        }
      }
    }
    assertThat(damaged).as("the corpus damages records").isGreaterThan(SEEDS);
  }

  private static boolean covers(Rejection r, long offset) {
    return r.isSkippedRange()
        ? offset >= r.byteOffset() && offset < r.byteOffset() + Math.max(1, r.skippedBytes())
        : r.byteOffset() == offset;
  }
}
