package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.LogType;
import dev.vigil.testing.DamagedCloudTrail;
import dev.vigil.testing.DamagedCloudTrail.Corpus;
import dev.vigil.testing.DamagedCloudTrail.Layout;
import java.io.ByteArrayInputStream;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Damaged CloudTrail input costs only the damaged bytes: over a seeded corpus of syntax errors,
 * stray elements, garbage and truncation in every layout, the documents are exactly the events
 * whose own bytes Jackson reads as a well-formed event, and every damaged event is accounted for by
 * a rejection (alone, or inside a skipped range).
 */
class DamagedCloudTrailTest {
  private static final ObjectRef KEY =
      new ObjectRef(
          "b", "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/27/111122223333_x.json");
  private static final int SEEDS = 30;

  @ParameterizedTest
  @EnumSource(Layout.class)
  void documentsAreExactlyTheWellFormedEventsAndEveryDamagedOneIsAccountedFor(Layout layout)
      throws Exception {
    int damaged = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      Corpus corpus = DamagedCloudTrail.generate(seed, 120, layout, 6, seed % 2 == 0);
      CollectingSink sink = new CollectingSink();
      ObjectParser.standard()
          .parse(new ByteArrayInputStream(corpus.bytes()), KEY, LogType.CLOUDTRAIL, sink);

      List<String> ids = sink.documents.stream().map(ParsedDocument::id).toList();
      assertThat(ids)
          .as("%s seed %d: documents", layout, seed)
          .doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(corpus.wellFormedIds());
      assertThat(sink.rejections)
          .as("%s seed %d: rejections", layout, seed)
          .allSatisfy(
              r -> {
                assertThat(r.record()).isPositive();
                assertThat(r.byteOffset()).isNotNegative();
              })
          .isSortedAccordingTo(Comparator.comparingLong(Rejection::byteOffset));
      for (DamagedCloudTrail.Written event : corpus.damagedEvents()) {
        assertThat(sink.rejections)
            .as(
                "%s seed %d: a rejection covers the damaged event at byte %d",
                layout, seed, event.offset())
            .anySatisfy(r -> assertThat(covers(r, event.offset())).isTrue());
        damaged++;
      }
      long end = 0;
      for (Rejection r : sink.rejections) {
        if (r.isSkippedRange()) {
          assertThat(r.byteOffset())
              .as("skipped ranges do not overlap")
              .isGreaterThanOrEqualTo(end);
          end = r.byteOffset() + r.skippedBytes();
          assertThat(end).isLessThanOrEqualTo(corpus.bytes().length);
          assertThat(r.reason()).contains("skipped " + r.skippedBytes() + " bytes");
        }
      }
    }
    assertThat(damaged).as("the corpus damages events").isGreaterThan(SEEDS);
  }

  private static boolean covers(Rejection r, long offset) {
    return r.isSkippedRange()
        ? offset >= r.byteOffset() && offset < r.byteOffset() + Math.max(1, r.skippedBytes())
        : r.byteOffset() == offset;
  }
}
