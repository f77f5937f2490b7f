package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.LogType;
import dev.vigil.testing.SyntheticCloudTrail;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** An object that is neither compressed data nor text is refused whole, not read as records. */
class UnreadableObjectTest {
  private static final ObjectRef CLOUDTRAIL_KEY =
      new ObjectRef(
          "b", "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/27/111122223333_x.json.gz");

  private static byte[] randomBytes(long seed, int size) {
    byte[] bytes = new byte[size];
    new SplittableRandom(seed).nextBytes(bytes);
    return bytes;
  }

  @Test
  void randomBinaryIsUnreadableEvenUnderALogKeyThatNamesItsType() {
    for (long seed = 1; seed <= 50; seed++) {
      byte[] binary = randomBytes(seed, 100 + (int) seed * 97);
      binary[0] = 0x7b; // even when it starts like JSON ('{')
      binary[1] = 0x22;
      for (LogType type : new LogType[] {null, LogType.CLOUDTRAIL}) {
        assertThatThrownBy(() -> parse(binary, type))
            .as("seed %d", seed)
            .isInstanceOf(UnreadableInputException.class)
            .hasMessageContaining(CLOUDTRAIL_KEY.key())
            .hasMessageContaining("neither gzip/zlib data nor text");
      }
    }
  }

  @Test
  void gzippedRandomBinaryIsUnreadableToo() {
    assertThatThrownBy(() -> parse(Gzip.gzip(randomBytes(7, 5000)), null))
        .isInstanceOf(UnreadableInputException.class)
        .hasMessageContaining("NUL byte");
  }

  @Test
  void textWithAFewStrayBytesIsStillRead() throws IOException {
    byte[] events =
        SyntheticCloudTrail.object(20, 3, Instant.parse("2026-11-27T10:00:00Z")).readAllBytes();
    String text = new String(events, StandardCharsets.ISO_8859_1);
    // One event's user agent in Latin-1 (not UTF-8): that event is rejected, the object is read.
    int agent = text.indexOf("aws-cli/2.15.0");
    events[agent] = (byte) 0xe9;
    CollectingSink sink = parse(events, null);
    assertThat(sink.documents).hasSize(19);
    assertThat(sink.rejections)
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).contains("UTF-8"));
  }

  @Test
  void compressedDataDamagedWithinTheHeadStillYieldsTheEventsBeforeTheDamage() throws IOException {
    byte[] events =
        SyntheticCloudTrail.object(12, 4, Instant.parse("2026-11-27T10:00:00Z")).readAllBytes();
    assertThat(events.length).isLessThan(16 * 1024);
    byte[] gz = Gzip.gzip(events);
    CollectingSink sink = parse(Arrays.copyOf(gz, gz.length - 40), null);
    assertThat(sink.documents).isNotEmpty().hasSizeLessThan(12);
    assertThat(sink.rejections).last().satisfies(r -> assertThat(r.reason()).contains("damaged"));
  }

  private static CollectingSink parse(byte[] raw, LogType type) throws IOException {
    CollectingSink sink = new CollectingSink();
    ObjectParser.standard().parse(new ByteArrayInputStream(raw), CLOUDTRAIL_KEY, type, sink);
    return sink;
  }
}
