package dev.vigil.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The prepared wildcard decides as the evaluator's regular expression, overlaps included. */
class StringTestTest {
  @Test
  void globsOfLiteralsAndStarsAgreeWithTheEvaluatorsPattern() {
    List<String> globs =
        List.of(
            "*Pacu*",
            "a*a",
            "*ab*ab*",
            "ab*",
            "*ab",
            "**",
            "*",
            "",
            "a**b",
            "a*b*b",
            "*S3 Browser*",
            "x*y*z");
    List<String> texts =
        List.of(
            "",
            "a",
            "aa",
            "aba",
            "abab",
            "aab",
            "ab",
            "xPacux",
            "Pacu",
            "pacu",
            "S3 Browser/1",
            "xyz",
            "xzy",
            "xyyz",
            "a\nb",
            "ba");
    int checked = 0;
    for (String glob : globs) {
      for (boolean ci : List.of(false, true)) {
        StringTest test = StringTest.of("wildcard", "f", glob, ci);
        for (String text : texts) {
          String g = ci ? glob.toLowerCase() : glob;
          String t = ci ? text.toLowerCase() : text;
          assertThat(test.matches(text))
              .as("%s on '%s' (case-insensitive %s)", glob, text, ci)
              .isEqualTo(QueryEvaluator.wildcardPattern(g).matcher(t).matches());
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(globs.size() * texts.size() * 2);
  }
}
