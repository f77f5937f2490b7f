package dev.vigil.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The substring index finds every literal a text contains, as {@code String.contains} would. */
class SubstringsTest {
  private static BitSet find(Substrings automaton, String text) {
    long[] found = new long[2];
    automaton.find(text, found);
    return BitSet.valueOf(found);
  }

  @Test
  void findsOverlappingLiteralsInOnePass() {
    Substrings automaton =
        new Substrings(
            Map.of(
                "he",
                new int[] {0},
                "she",
                new int[] {1},
                "hers",
                new int[] {2},
                "x",
                new int[] {3, 4}),
            false);
    assertThat(find(automaton, "ushers").stream().toArray()).containsExactly(0, 1, 2);
    assertThat(find(automaton, "ahex").stream().toArray()).containsExactly(0, 3, 4);
    assertThat(find(automaton, "HERS").isEmpty()).isTrue();
  }

  @Test
  void beyondAsciiEveryCharacterIsOneSymbolSoNothingContainedIsMissed() {
    Substrings automaton = new Substrings(Map.of("caf\u00e9", new int[] {0}), false);
    assertThat(find(automaton, "un caf\u00e9").get(0)).isTrue();
    assertThat(find(automaton, "un caf\u00e8").get(0)).isTrue(); // a candidate, not a match
    assertThat(find(automaton, "un cafe").get(0)).isFalse();
  }

  @Test
  void foldingFindsWhatLowerCasingWouldAndTakesEveryRuleForTextsBeyondAscii() {
    Substrings automaton =
        new Substrings(Map.of("kali", new int[] {0}, "boto", new int[] {1}), true);
    assertThat(find(automaton, "Mozilla KALI").stream().toArray()).containsExactly(0);
    // The Kelvin sign lower-cases to 'k': the text is taken to contain every literal.
    assertThat("\u212Aali".toLowerCase(Locale.ROOT)).isEqualTo("kali");
    assertThat(find(automaton, "\u212Aali").stream().toArray()).containsExactly(0, 1);
  }

  @Test
  void agreesWithContainsOnRandomTexts() {
    Random random = new Random(16);
    String alphabet = "abAB\u00e9\u212A";
    String[] literals = new String[40];
    java.util.Map<String, int[]> byLiteral = new java.util.HashMap<>();
    for (int i = 0; i < literals.length; i++) {
      literals[i] = text(random, alphabet, 1 + random.nextInt(4));
      byLiteral.merge(
          literals[i],
          new int[] {i},
          (a, b) ->
              java.util.stream.IntStream.concat(
                      java.util.Arrays.stream(a), java.util.Arrays.stream(b))
                  .toArray());
    }
    for (boolean fold : new boolean[] {false, true}) {
      Substrings automaton = new Substrings(byLiteral, fold);
      for (int n = 0; n < 2000; n++) {
        String text = text(random, alphabet, random.nextInt(12));
        BitSet found = find(automaton, text);
        String seen = fold ? text.toLowerCase(Locale.ROOT) : text;
        for (int i = 0; i < literals.length; i++) {
          String literal = fold ? literals[i].toLowerCase(Locale.ROOT) : literals[i];
          if (seen.contains(literal)) {
            assertThat(found.get(i)).as("'%s' in '%s' (fold %s)", literal, text, fold).isTrue();
          }
        }
      }
    }
  }

  private static String text(Random random, String alphabet, int length) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }
}
