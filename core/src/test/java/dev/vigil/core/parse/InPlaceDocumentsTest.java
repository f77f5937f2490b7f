package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.LogType;
import dev.vigil.core.TestData;
import dev.vigil.testing.SyntheticCloudTrail;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sinks that read documents in place get them straight from the parser's buffer: the bulk bodies
 * they build must be byte for byte those built from documents that own their sources.
 */
class InPlaceDocumentsTest {
  @Test
  void bulkBodiesFromBorrowedDocumentsEqualThoseFromOwnedOnes() throws Exception {
    List<byte[]> objects = new ArrayList<>();
    List<ObjectRef> origins = new ArrayList<>();
    for (Samples.Sample sample : Samples.BY_TYPE.get(LogType.CLOUDTRAIL)) {
      objects.add(Files.readAllBytes(TestData.path(sample.path())));
      origins.add(sample.origin());
    }
    try (InputStream synthetic =
        SyntheticCloudTrail.object(2_000, 7, Instant.parse("2026-11-27T23:59:00Z"))) {
      objects.add(synthetic.readAllBytes()); // crosses midnight: two daily indices
      origins.add(
          new ObjectRef("b", "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/27/s.json"));
    }

    int borrowed = 0;
    for (int i = 0; i < objects.size(); i++) {
      CollectingSink owned = CollectingSink.parse(objects.get(i), origins.get(i), null);
      BulkBody expected = new BulkBody(1024);
      owned.documents.forEach(expected::add);

      InPlaceSink inPlace = new InPlaceSink();
      ObjectParser.standard()
          .parse(new ByteArrayInputStream(objects.get(i)), origins.get(i), null, inPlace);

      assertThat(owned.documents).as(origins.get(i).key()).isNotEmpty();
      borrowed += inPlace.borrowed;
      assertThat(new String(inPlace.bulk.toByteArray(), StandardCharsets.UTF_8))
          .as(origins.get(i).key())
          .isEqualTo(new String(expected.toByteArray(), StandardCharsets.UTF_8));
      assertThat(inPlace.kept())
          .as("source() copies a borrowed source")
          .containsExactlyElementsOf(
              owned.documents.stream().map(ParsedDocument::sourceAsString).toList());
    }
    // Events the fast path writes (all synthetic ones; samples with a shipper's @timestamp take the
    // slow path and own their sources).
    assertThat(borrowed).isGreaterThanOrEqualTo(2_000);
  }

  /** Builds a bulk body as the ingester does, and keeps each source through source(). */
  private static final class InPlaceSink implements DocumentSink {
    final BulkBody bulk = new BulkBody(1024);
    final List<byte[]> keptSources = new ArrayList<>();
    int borrowed;

    @Override
    public boolean readsDocumentsInPlace() {
      return true;
    }

    @Override
    public void document(ParsedDocument document) {
      if (document.isBorrowed()) {
        borrowed++;
      }
      bulk.add(document);
      keptSources.add(document.source()); // compared after the parser reused its buffer
    }

    List<String> kept() {
      return keptSources.stream().map(s -> new String(s, StandardCharsets.UTF_8)).toList();
    }

    @Override
    public void rejected(Rejection rejection) {
      throw new AssertionError(rejection.toString());
    }
  }
}
