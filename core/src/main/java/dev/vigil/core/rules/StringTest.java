package dev.vigil.core.rules;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One string comparison of {@link QueryEvaluator} (term, prefix, wildcard, regexp; optionally
 * case-insensitive) with its pattern compiled once. A regular expression the evaluator cannot read
 * throws its error only when there is a value to compare, as the evaluator does.
 */
abstract class StringTest {
  abstract boolean matches(String text);

  boolean canThrow() {
    return false;
  }

  static StringTest of(String kind, String field, String value, boolean caseInsensitive) {
    String v = caseInsensitive ? value.toLowerCase(Locale.ROOT) : value;
    StringTest exact =
        switch (kind) {
          case "term", "match", "match_phrase" -> text(v::equals);
          case "prefix" -> text(t -> t.startsWith(v));
          case "wildcard" -> pattern(QueryEvaluator.wildcardPattern(v));
          case "regexp" -> regexp(v, field);
          default -> failing(new RuleException("unsupported query " + kind));
        };
    return caseInsensitive ? lowered(exact) : exact;
  }

  private static StringTest regexp(String regex, String field) {
    try {
      return pattern(Regexps.toJava(regex, field));
    } catch (RuntimeException e) {
      return failing(e);
    }
  }

  private static StringTest text(java.util.function.Predicate<String> test) {
    return new StringTest() {
      @Override
      boolean matches(String text) {
        return test.test(text);
      }
    };
  }

  private static StringTest pattern(Pattern pattern) {
    return text(t -> pattern.matcher(t).matches());
  }

  private static StringTest failing(RuntimeException error) {
    return new StringTest() {
      @Override
      boolean matches(String text) {
        throw error;
      }

      @Override
      boolean canThrow() {
        return true;
      }
    };
  }

  private static StringTest lowered(StringTest test) {
    return new StringTest() {
      @Override
      boolean matches(String text) {
        return test.matches(text.toLowerCase(Locale.ROOT));
      }

      @Override
      boolean canThrow() {
        return test.canThrow();
      }
    };
  }
}
