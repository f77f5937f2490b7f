package dev.vigil.core.parse.types;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Data Prepper's grok raw→parsed pairs (shared test data), and a comparison of a Vigil document
 * with one on every field the pair has: by the same name, or through a translation where Vigil
 * names or shapes the value differently. A field with no counterpart fails the comparison.
 */
final class GrokPairs {
  private GrokPairs() {}

  static List<JsonNode> of(String pattern) {
    try {
      JsonNode all =
          new ObjectMapper()
              .readTree(TestData.bytes("data-prepper/grok-pairs/aws_grok_pairs.json"))
              .get("pairs");
      List<JsonNode> pairs = new ArrayList<>();
      all.forEach(
          pair -> {
            if (pair.get("grok_pattern").asText().equals(pattern)) {
              pairs.add(pair);
            }
          });
      return pairs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void assertAgrees(
      JsonNode expected, JsonNode mine, Map<String, Function<JsonNode, String>> translations) {
    expected
        .properties()
        .forEach(
            entry -> {
              String name = entry.getKey();
              String want = entry.getValue().asText();
              Function<JsonNode, String> translation = translations.get(name);
              if (translation != null) {
                assertSame(name, want, translation.apply(mine));
              } else {
                JsonNode value = mine.get(name);
                if (!"-".equals(want)) {
                  assertThat(value).as("%s has no counterpart in %s", name, mine).isNotNull();
                }
                assertSame(
                    name,
                    want,
                    value == null ? null : value.isArray() ? join(value, " ") : value.asText());
              }
            });
  }

  static String join(JsonNode array, String separator) {
    List<String> items = new ArrayList<>();
    array.forEach(item -> items.add(item.asText()));
    return String.join(separator, items);
  }

  static String text(JsonNode doc, String pointer) {
    JsonNode value = doc.at(pointer);
    return value.isMissingNode() ? null : value.asText();
  }

  private static void assertSame(String name, String expected, String actual) {
    if ("-".equals(expected)) {
      assertThat(actual).as("%s is '-' upstream, so it is left out", name).isNull();
      return;
    }
    assertThat(actual).as(name).isNotNull();
    if (isNumber(expected) && isNumber(actual)) {
      assertThat(new BigDecimal(actual)).as(name).isEqualByComparingTo(new BigDecimal(expected));
    } else if (expected.matches("\\d{4}-\\d\\d-\\d\\dT.*")
        && actual.matches("\\d{4}-\\d\\d-\\d\\dT.*")) {
      assertThat(Times.iso(actual)).as(name).isEqualTo(Times.iso(expected));
    } else {
      assertThat(actual).as(name).isEqualTo(expected);
    }
  }

  private static boolean isNumber(String text) {
    return text.matches("-?\\d+(\\.\\d+)?([eE]-?\\d+)?");
  }

  static Instant instant(String text) {
    return Times.iso(text);
  }
}
