package dev.vigil.core.parse.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {
  @Test
  void givesEveryLineWithItsNumberAndByteOffsetAcrossReadBuffers() throws IOException {
    StringBuilder text = new StringBuilder();
    List<Long> offsets = new ArrayList<>();
    long offset = 0;
    for (int i = 0; i < 20_000; i++) {
      offsets.add(offset);
      String line = "line-" + i + (i % 7 == 0 ? " é" : "") + "\n";
      text.append(line);
      offset += line.getBytes(StandardCharsets.UTF_8).length;
    }
    LineReader lines = new LineReader(trickle(text.toString().getBytes(StandardCharsets.UTF_8)));
    int i = 0;
    while (lines.next()) {
      assertThat(lines.number()).isEqualTo(i + 1);
      assertThat(lines.offset()).as("offset of line %d", i + 1).isEqualTo(offsets.get(i));
      assertThat(lines.text()).startsWith("line-" + i);
      i++;
    }
    assertThat(i).isEqualTo(20_000);
  }

  @Test
  void dropsCarriageReturnsByteOrderMarkAndKeepsALastLineWithoutNewline() throws IOException {
    byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
    byte[] body = "a b\r\n\r\nlast".getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, all, 0, 3);
    System.arraycopy(body, 0, all, 3, body.length);
    LineReader lines = new LineReader(new ByteArrayInputStream(all));

    assertThat(lines.next()).isTrue();
    assertThat(lines.text()).isEqualTo("a b");
    assertThat(lines.offset()).isEqualTo(3);
    assertThat(lines.next()).isTrue();
    assertThat(lines.isBlank()).isTrue();
    assertThat(lines.next()).isTrue();
    assertThat(lines.text()).isEqualTo("last");
    assertThat(lines.number()).isEqualTo(3);
    assertThat(lines.offset()).isEqualTo(3 + 7);
    assertThat(lines.next()).isFalse();
  }

  @Test
  void overlongLineIsReportedAndSkippedWithoutBeingHeld() throws IOException {
    String longLine = "x".repeat(300_000);
    String text = "first\n" + longLine + "\nafter\n" + longLine;
    LineReader lines =
        new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 1000);

    assertThat(lines.next()).isTrue();
    assertThat(lines.tooLong()).isFalse();
    assertThat(lines.next()).isTrue();
    assertThat(lines.tooLong()).isTrue();
    assertThat(lines.number()).isEqualTo(2);
    assertThat(lines.offset()).isEqualTo(6);
    assertThat(lines.buffer().length).isLessThan(200_000);
    assertThat(lines.next()).isTrue();
    assertThat(lines.text()).isEqualTo("after");
    assertThat(lines.offset()).isEqualTo(6 + 300_001);
    assertThat(lines.next()).isTrue();
    assertThat(lines.tooLong()).isTrue();
    assertThat(lines.number()).isEqualTo(4);
    assertThat(lines.next()).isFalse();
  }

  @Test
  void restOfTheStreamFromTheCurrentLineCanBeHandedOn() throws IOException {
    LineReader lines =
        new LineReader(
            new ByteArrayInputStream("one\ntwo\nthree".getBytes(StandardCharsets.UTF_8)));
    lines.next();
    lines.next();
    assertThat(new String(lines.fromCurrentLine().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("two\nthree");
  }

  /** A stream that returns at most 1000 bytes per read, as network streams do. */
  private static InputStream trickle(byte[] bytes) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1000));
      }
    };
  }
}
