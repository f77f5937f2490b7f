package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.core.parse.JsonScanner.MalformedJsonException;
import dev.vigil.testing.SyntheticCloudTrail;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The scanner must accept exactly what Jackson (Vigil's reference JSON parser, with {@link
 * ParseContext#JSON}'s settings) accepts: fixed cases for each rule of the grammar, then thousands
 * of mutated CloudTrail events, read in whole and in chunks of a few bytes so every refill boundary
 * is crossed.
 */
class JsonScannerTest {
  private static final List<String> VALID =
      List.of(
          "{}",
          "[]",
          "\"\"",
          "0",
          "-0",
          "12.5e-3",
          "-1E+9",
          "1e5",
          "true",
          "false",
          "null",
          "{\"a\":[1,2,{\"b\":null}],\"c\":\"x\\\"y\\\\z\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00\"}",
          " \n\t{ \"a\" : [ ] , \"b\" : { } }\r\n",
          "\"caf\u00e9 \u4e2d \ud83d\ude00\"",
          "[[[[[[[[[[\"deep\"]]]]]]]]]]");

  private static final List<String> INVALID =
      List.of(
          "",
          "{",
          "{\"a\"}",
          "{\"a\":}",
          "{\"a\":1,}",
          "[1,]",
          "[1 2]",
          "{a:1}",
          "{'a':1}",
          "\"abc",
          "\"a\\x\"",
          "\"a\\u12g4\"",
          "\"tab\there\"",
          "01",
          "1.",
          ".5",
          "+1",
          "-",
          "1e",
          "1e+",
          "tru",
          "truex",
          "nul",
          "NaN",
          "[1]x",
          "{\"a\":1}}",
          "/* comment */ {}",
          "[\"a\" \"b\"]");

  @Test
  void skipsEveryKindOfValue() throws IOException {
    for (String json : VALID) {
      assertThat(jackson(bytes(json))).as("Jackson on %s", json).isNull();
      for (int chunk : new int[] {Integer.MAX_VALUE, 1, 3}) {
        assertThat(scan(bytes(json), chunk)).as("%s in chunks of %d", json, chunk).isNull();
      }
    }
  }

  @Test
  void refusesWhatJacksonRefuses() throws IOException {
    for (String json : INVALID) {
      assertThat(jackson(bytes(json))).as("Jackson on %s", json).isNotNull();
      for (int chunk : new int[] {Integer.MAX_VALUE, 1, 2}) {
        assertThat(scan(bytes(json), chunk)).as("%s in chunks of %d", json, chunk).isNotNull();
      }
    }
  }

  @Test
  void refusesInvalidUtf8() throws IOException {
    byte[][] cases = {
      {'"', (byte) 0xc3, '"'}, // lead byte without its continuation
      {'"', (byte) 0xa9, '"'}, // continuation byte alone
      {'"', (byte) 0xe4, (byte) 0xb8, '"'}, // three-byte sequence cut short
      {'"', (byte) 0xff, '"'}
    };
    for (byte[] json : cases) {
      assertThat(jackson(json)).isNotNull();
      assertThat(scan(json, Integer.MAX_VALUE)).isNotNull();
    }
  }

  @Test
  void refusesNestingDeeperThanTheLimit() throws IOException {
    String ok = "[".repeat(JsonScanner.MAX_DEPTH) + "]".repeat(JsonScanner.MAX_DEPTH);
    String deep = "[".repeat(JsonScanner.MAX_DEPTH + 1) + "]".repeat(JsonScanner.MAX_DEPTH + 1);
    assertThat(scan(bytes(ok), Integer.MAX_VALUE)).isNull();
    assertThat(scan(bytes(deep), Integer.MAX_VALUE)).contains("nesting deeper than 1000");
  }

  @Test
  void refusesANumberLongerThanJacksonAllows() throws IOException {
    String ok = "[" + "1".repeat(JsonScanner.MAX_NUMBER_LENGTH) + "]";
    String longer = "[" + "1".repeat(JsonScanner.MAX_NUMBER_LENGTH + 1) + "]";
    assertThat(jackson(bytes(ok))).isNull();
    assertThat(jackson(bytes(longer))).isNotNull();
    assertThat(scan(bytes(ok), 7)).isNull();
    assertThat(scan(bytes(longer), 7)).contains("a number longer than 1000 characters");
  }

  @Test
  void saysWhereTheInputBroke() {
    JsonScanner scanner = new JsonScanner(stream(bytes("{\n  \"a\": [1,\n  2 x]}"), 4));
    assertThatThrownBy(scanner::skipValue)
        .isInstanceOfSatisfying(
            MalformedJsonException.class,
            e -> {
              assertThat(e.offset()).isEqualTo(17);
              assertThat(e.getMessage()).isEqualTo("expected ',' or ']' but found 'x' at line 3");
            });
  }

  @Test
  void keepsRetainedBytesReadableAcrossRefills() throws IOException {
    String big = "x".repeat(600_000); // larger than the scanner's buffer
    byte[] json = bytes("  [\"" + big + "\", {\"name\": \"caf\u00e9\"}]");
    JsonScanner scanner = new JsonScanner(stream(json, 1000));
    assertThat(scanner.peek()).isEqualTo('[');
    scanner.advance();
    scanner.peek();
    long from = scanner.offset();
    scanner.retainFrom(from);
    scanner.string();
    long to = scanner.offset();
    byte[] copy = new byte[(int) (to - from)];
    scanner.copy(from, to, copy, 0);
    assertThat(new String(copy, StandardCharsets.UTF_8)).isEqualTo("\"" + big + "\"");
    assertThat(scanner.lastStringText(from, to)).isEqualTo(big);

    scanner.expect(',');
    scanner.expect('{');
    assertThat(scanner.name(new JsonScanner.Names("id", "name"))).isEqualTo(1);
    long value = scanner.offset() + 1; // after the space
    scanner.peek();
    scanner.string();
    assertThat(scanner.lastStringText(value, scanner.offset())).isEqualTo("caf\u00e9");
    scanner.expect('}');
    scanner.expect(']');
    assertThat(scanner.peek()).isEqualTo(-1);
  }

  @Test
  void refusesARecordLargerThanTheLimitInsteadOfGrowingWithoutBound() {
    InputStream endlessString =
        new InputStream() {
          private long position;

          @Override
          public int read() {
            return position++ == 0 ? '"' : 'x';
          }

          @Override
          public int read(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) {
              b[off + i] = (byte) read();
            }
            return len;
          }
        };
    JsonScanner scanner = new JsonScanner(endlessString);
    scanner.retainFrom(0);
    assertThatThrownBy(scanner::skipValue)
        .isInstanceOf(MalformedJsonException.class)
        .hasMessageContaining("a record larger than 64 MiB");
  }

  @Test
  void findsEscapedNamesByTheirText() throws IOException {
    JsonScanner scanner = new JsonScanner(stream(bytes("{\"n\\u0061me\": 1}"), 5));
    scanner.expect('{');
    assertThat(scanner.name(new JsonScanner.Names("id", "name"))).isEqualTo(1);
  }

  @Test
  void agreesWithJacksonOnMutatedCloudTrailEvents() throws IOException {
    List<byte[]> events = new ArrayList<>();
    try (JsonParser parser =
        ParseContext.JSON.createParser(
            SyntheticCloudTrail.object(40, 7, Instant.parse("2026-11-27T00:00:00Z")))) {
      parser.nextToken(); // {
      parser.nextToken(); // "Records"
      parser.nextToken(); // [
      while (parser.nextToken() == JsonToken.START_OBJECT) {
        events.add(copyOf(parser));
      }
    }
    Random random = new Random(20261128);
    byte[] alphabet = bytes("{}[]:,\"\\ \n0123456789.-+eEtrufalsn/ux\u00e9");
    int accepted = 0;
    int refused = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] json = mutate(events.get(random.nextInt(events.size())), random, alphabet);
      boolean jacksonAccepts = jackson(json) == null;
      int chunk = 1 + random.nextInt(64);
      String scanned = scan(json, chunk);
      assertThat(scanned == null)
          .as(
              "scanner (%s) and Jackson (%s) disagree on %s",
              scanned, jackson(json), new String(json, StandardCharsets.UTF_8))
          .isEqualTo(jacksonAccepts);
      if (jacksonAccepts) {
        accepted++;
      } else {
        refused++;
      }
    }
    // The mutations must exercise both answers, or the comparison proves little.
    assertThat(accepted).isGreaterThan(2_000);
    assertThat(refused).isGreaterThan(2_000);
  }

  private static byte[] copyOf(JsonParser parser) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (var generator = ParseContext.JSON.createGenerator(out)) {
      generator.copyCurrentStructure(parser);
    }
    return out.toByteArray();
  }

  /** One to three edits: a byte replaced, removed or inserted, or the event cut short. */
  private static byte[] mutate(byte[] event, Random random, byte[] alphabet) {
    byte[] json = event.clone();
    int edits = random.nextInt(4); // 0: the event as it is
    for (int e = 0; e < edits; e++) {
      int at = random.nextInt(json.length);
      byte b = alphabet[random.nextInt(alphabet.length)];
      switch (random.nextInt(4)) {
        case 0 -> json[at] = b;
        case 1 -> json = splice(json, at, 1, new byte[0]);
        case 2 -> json = splice(json, at, 0, new byte[] {b});
        default -> json = java.util.Arrays.copyOf(json, at);
      }
      if (json.length == 0) {
        break;
      }
    }
    return json;
  }

  private static byte[] splice(byte[] bytes, int at, int remove, byte[] insert) {
    byte[] result = new byte[bytes.length - remove + insert.length];
    System.arraycopy(bytes, 0, result, 0, at);
    System.arraycopy(insert, 0, result, at, insert.length);
    System.arraycopy(bytes, at + remove, result, at + insert.length, bytes.length - at - remove);
    return result;
  }

  /** Null when the scanner takes {@code json} as exactly one value, else its error. */
  private static String scan(byte[] json, int chunk) throws IOException {
    JsonScanner scanner = new JsonScanner(stream(json, chunk));
    try {
      scanner.skipValue();
      return scanner.peek() == -1 ? null : "more after the value";
    } catch (MalformedJsonException e) {
      return e.getMessage();
    }
  }

  /** Null when Jackson reads {@code json} as exactly one value, decoding every string; else why. */
  private static String jackson(byte[] json) throws IOException {
    try (JsonParser parser = ParseContext.JSON.createParser(json)) {
      if (parser.nextToken() == null) {
        return "no value";
      }
      int depth = 0;
      JsonToken token = parser.currentToken();
      while (true) {
        if (token.isScalarValue()) {
          parser.getText();
        }
        if (token == JsonToken.FIELD_NAME) {
          parser.currentName();
        }
        depth += token.isStructStart() ? 1 : token.isStructEnd() ? -1 : 0;
        if (depth == 0) {
          break;
        }
        token = parser.nextToken();
      }
      return parser.nextToken() == null ? null : "more after the value";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return e.getOriginalMessage();
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** {@code json}, handed out at most {@code chunk} bytes per read. */
  private static InputStream stream(byte[] json, int chunk) {
    return new FilterInputStream(new ByteArrayInputStream(json)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, chunk));
      }
    };
  }
}
