package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonRecordReaderTest {
  private static final ObjectMapper TREES = new ObjectMapper();

  /** Each root value as compact JSON, and each failure as "broken line L byte B resumed R". */
  private static List<String> read(String input) {
    List<String> out = new ArrayList<>();
    try (JsonRecordReader reader =
        new JsonRecordReader(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)))) {
      while (true) {
        try {
          if (reader.nextRoot() == null) {
            return out;
          }
          out.add(TREES.readTree(reader.parser()).toString());
        } catch (JsonProcessingException e) {
          System.err.println(
              "DEBUG " + e.getMessage() + " loc " + reader.parser().currentLocation());
          long line = reader.rootLine();
          long offset = reader.rootOffset();
          long resumed = reader.recover();
          out.add("broken line " + line + " byte " + offset + " resumed " + resumed);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void newlineDelimitedValuesAreReadOneByOne() {
    assertThat(read("{\"a\":1}\n{\"a\":2}\n\n{\"a\":3}\n"))
        .containsExactly("{\"a\":1}", "{\"a\":2}", "{\"a\":3}");
  }

  @Test
  void valuesConcatenatedWithoutDelimiterAreReadOneByOne() {
    assertThat(read("{\"a\":1}{\"a\":2}[3]")).containsExactly("{\"a\":1}", "{\"a\":2}", "[3]");
  }

  @Test
  void prettyPrintedValuesSpanLines() {
    assertThat(read("{\n  \"a\": [\n    1\n  ]\n}\n{\n  \"b\": 2\n}"))
        .containsExactly("{\"a\":[1]}", "{\"b\":2}");
  }

  @Test
  void lineCutInHalfIsReportedAndTheNextLineIsKept() {
    String input = "{\"a\":1}\n{\"a\":\"cut\n{\"a\":3}\n";
    assertThat(read(input))
        .containsExactly("{\"a\":1}", "broken line 2 byte 8 resumed 3", "{\"a\":3}");
  }

  @Test
  void valueCutBeforeAnotherObjectDoesNotSwallowTheObject() {
    // The cut value would take the next line's object as its own value; reading goes back to it.
    String input = "{\"a\":\n{\"b\":2}\n{\"c\":3}\n";
    assertThat(read(input))
        .containsExactly("broken line 1 byte 0 resumed 2", "{\"b\":2}", "{\"c\":3}");
  }

  @Test
  void brokenValueAmongConcatenatedOnesCostsOnlyItself() {
    // Firehose concatenates records with no delimiter: the next one starts right after a '}'.
    String input = "{\"a\":1}{\"a\":2,oops}{\"a\":3} {\"a\":[4]}{\"a\":\"cut";
    assertThat(read(input))
        .containsExactly(
            "{\"a\":1}",
            "broken line 1 byte 7 resumed 1",
            "{\"a\":3}",
            "{\"a\":[4]}",
            "broken line 1 byte " + input.indexOf("{\"a\":\"cut") + " resumed -1");
  }

  @Test
  void linesThatStartNoValueAreSkippedUpToTheNextValue() {
    String input = "{\"a\":1}\nnot json\nstill not\n{\"a\":2}";
    assertThat(read(input))
        .containsExactly("{\"a\":1}", "broken line 1 byte 7 resumed 4", "{\"a\":2}");
  }

  @Test
  void brokenValueAtTheEndReportsThatNothingFollows() {
    assertThat(read("{\"a\":1}\n{\"a\":"))
        .containsExactly("{\"a\":1}", "broken line 2 byte 8 resumed -1");
  }

  @Test
  void offsetsCountFromTheStartOfTheStreamAfterRecovery() {
    String input = "{\"a\":1}\nxx\n{\"a\":2} {\"a\":\n{\"z\":9}";
    assertThat(read(input))
        .containsExactly(
            "{\"a\":1}",
            "broken line 1 byte 7 resumed 3",
            "{\"a\":2}",
            "broken line 3 byte " + input.indexOf("{\"a\":\n") + " resumed 4",
            "{\"z\":9}");
  }

  @Test
  void valueLargerThanWhatIsKeptIsResumedAfterTheLineWhereItBroke() {
    StringBuilder big = new StringBuilder("{\"big\":[");
    while (big.length() < JsonRecordReader.MAX_KEPT + 100_000) {
      big.append("1234567890,");
    }
    // The break comes long after the value's start: reading resumes at the line after the break.
    String input = big.append("\n").append("oops\n{\"after\":1}\n").toString();
    List<String> values = read(input);
    assertThat(values).hasSize(2);
    assertThat(values.get(0)).startsWith("broken line 1 byte 0 resumed 3");
    assertThat(values.get(1)).isEqualTo("{\"after\":1}");
  }
}
