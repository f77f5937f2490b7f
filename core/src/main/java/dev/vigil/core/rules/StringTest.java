package dev.vigil.core.rules;

import java.util.ArrayList;
import java.util.List;
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

  /**
   * A text this test matches contains this literal (null: none known): lower-cased first when
   * {@link #lowers()}.
   */
  String literal() {
    return null;
  }

  /** Whether the test lower-cases the text ({@code Locale.ROOT}) before comparing. */
  boolean lowers() {
    return false;
  }

  static StringTest of(String kind, String field, String value, boolean caseInsensitive) {
    String v = caseInsensitive ? value.toLowerCase(Locale.ROOT) : value;
    StringTest exact =
        switch (kind) {
          case "term", "match", "match_phrase" -> text(v::equals, v);
          case "prefix" -> text(t -> t.startsWith(v), v);
          case "wildcard" -> wildcard(v);
          case "regexp" -> regexp(v, field);
          default -> failing(new RuleException("unsupported query " + kind));
        };
    return caseInsensitive ? lowered(exact) : exact;
  }

  /**
   * A glob of literals (escaped or not) and {@code *} only (the common {@code *Pacu*}, {@code *S3\
   * Browser*}) is matched by searching its literal pieces in order — what the regular expression
   * {@code .*Pacu.*} decides, without the backtracking; a glob with {@code ?} runs the evaluator's
   * pattern.
   */
  private static StringTest wildcard(String glob) {
    List<String> list = new ArrayList<>();
    StringBuilder piece = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '\\' && i + 1 < glob.length()) {
        piece.append(glob.charAt(++i)); // as wildcardPattern: the next character, literally
      } else if (c == '*') {
        list.add(piece.toString());
        piece.setLength(0);
      } else if (c == '?') {
        return pattern(QueryEvaluator.wildcardPattern(glob));
      } else {
        piece.append(c);
      }
    }
    list.add(piece.toString());
    String[] pieces = list.toArray(String[]::new);
    String first = pieces[0];
    String last = pieces[pieces.length - 1];
    if (pieces.length == 1) {
      return text(first::equals, first);
    }
    String longest = "";
    for (String p : pieces) {
      longest = p.length() > longest.length() ? p : longest;
    }
    return text(
        t -> {
          if (t.length() < first.length() + last.length()
              || !t.startsWith(first)
              || !t.endsWith(last)) {
            return false;
          }
          int at = first.length();
          int limit = t.length() - last.length();
          for (int i = 1; i < pieces.length - 1; i++) {
            int found = t.indexOf(pieces[i], at);
            if (found < 0 || found + pieces[i].length() > limit) {
              return false;
            }
            at = found + pieces[i].length();
          }
          return true;
        },
        longest);
  }

  private static StringTest regexp(String regex, String field) {
    Pattern pattern;
    try {
      pattern = Regexps.toJava(regex, field);
    } catch (RuntimeException e) {
      return failing(e);
    }
    String required = Regexps.requiredLiteral(regex);
    if (required.length() < 2) {
      return pattern(pattern);
    }
    // A value without the literal every match holds is no match: decided without the pattern.
    return text(t -> t.contains(required) && pattern.matcher(t).matches(), required);
  }

  private static StringTest text(java.util.function.Predicate<String> test) {
    return text(test, null);
  }

  /** A test every match of which contains {@code literal} (empty or null: no literal). */
  private static StringTest text(java.util.function.Predicate<String> test, String literal) {
    String known = literal == null || literal.isEmpty() ? null : literal;
    return new StringTest() {
      @Override
      boolean matches(String text) {
        return test.test(text);
      }

      @Override
      String literal() {
        return known;
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
      String literal() {
        return test.literal();
      }

      @Override
      boolean lowers() {
        return true;
      }

      @Override
      boolean canThrow() {
        return test.canThrow();
      }
    };
  }
}
