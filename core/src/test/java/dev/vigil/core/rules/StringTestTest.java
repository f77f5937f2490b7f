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
            "*S3\\ Browser*",
            "a\\*b*",
            "\\a*\\",
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
            "a*bc",
            "a*",
            "ab\\",
            "a\\",
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

  /** The literal the prepared regexp looks for first is in every value the pattern matches. */
  @Test
  void aRegexpsRequiredLiteralIsInEveryMatchAndTheVerdictIsThePatterns() {
    List<String> regexes =
        List.of(
            ".+:assumed-role/aws:.+",
            "abc",
            "ab*c",
            "ab+cd",
            "ab?cd",
            "a(bc)*de",
            "a[bc]de",
            "x{2}yz",
            "(ab|cd)ef",
            "ab|cd",
            "a\\.b.c",
            "[)]ab",
            "ab+?c",
            ".*ab.*cd");
    List<String> texts =
        List.of(
            "arn:aws:sts::1:assumed-role/aws:ec2/i-1",
            "arn:aws:sts::1:assumed-role/admin/x",
            "abc",
            "ac",
            "abbbc",
            "abcd",
            "abbcd",
            "acd",
            "abccd",
            "ade",
            "abcbcde",
            "abde",
            "xxyz",
            "yz",
            "abef",
            "cdef",
            "ef",
            "cd",
            "a.bxc",
            "a.b",
            ")ab",
            "abbc",
            "zzabzzcd");
    for (String regex : regexes) {
      String required = Regexps.requiredLiteral(regex);
      StringTest test = StringTest.of("regexp", "f", regex, false);
      for (String text : texts) {
        boolean matches = Regexps.toJava(regex, "f").matcher(text).matches();
        assertThat(!matches || text.contains(required))
            .as("'%s' matches %s but lacks '%s'", text, regex, required)
            .isTrue();
        assertThat(test.matches(text)).as("%s on '%s'", regex, text).isEqualTo(matches);
      }
    }
    assertThat(Regexps.requiredLiteral(".+:assumed-role/aws:.+")).isEqualTo(":assumed-role/aws:");
    assertThat(Regexps.requiredLiteral("ab|cd")).isEmpty();
  }
}
