package dev.vigil.core.rules.sigma;

/**
 * Rewrites a Sigma regular expression (PCRE-like) into the subset Lucene and Java read alike (see
 * {@code Regexps}): characters Lucene treats as operators but PCRE as literals ({@code " @ & ~ < >
 * #}) are escaped, and the shorthand classes Lucene lacks become explicit ASCII classes ({@code \d}
 * → {@code [0-9]}, {@code \w} → {@code [0-9A-Za-z_]}, {@code \s} → space, tab, newline, carriage
 * return, form feed, vertical tab; {@code \D \W \S} their complements); {@code \t \n \r \f} become
 * the characters. Anything else is left for {@code Regexps} to judge.
 */
final class SigmaRegex {
  private static final String DIGIT = "0-9";
  private static final String WORD = "0-9A-Za-z_";
  private static final String SPACE = " \t\n\r\f\u000B";
  private static final String LUCENE_OPERATORS = "\"@&~<>#";

  private SigmaRegex() {}

  /**
   * The rewritten expression; an {@link IllegalArgumentException} says what cannot be. Without
   * {@code dotall} (Sigma's {@code s}) a {@code .} does not match a line break, as in PCRE, so it
   * becomes {@code [^\n]} (Lucene's {@code .} matches any character).
   */
  static String toLucene(String regex, boolean dotall) {
    StringBuilder out = new StringBuilder();
    boolean inClass = false;
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\' && i + 1 < regex.length()) {
        char next = regex.charAt(++i);
        String members = members(next);
        if (members != null) {
          boolean negated = Character.isUpperCase(next);
          if (inClass && negated) {
            throw new IllegalArgumentException(
                "\\" + next + " inside a character class (write the class out)");
          }
          out.append(inClass ? members : (negated ? "[^" : "[") + members + "]");
        } else if ("tnrf".indexOf(next) >= 0) {
          out.append("\t\n\r\f".charAt("tnrf".indexOf(next)));
        } else {
          out.append('\\').append(next);
        }
        continue;
      }
      if (c == '[' && !inClass) {
        inClass = true;
        out.append(c);
        // a ']' right after '[' or '[^' is a member, not the end
        if (i + 1 < regex.length() && regex.charAt(i + 1) == '^') {
          out.append(regex.charAt(++i));
        }
        if (i + 1 < regex.length() && regex.charAt(i + 1) == ']') {
          out.append("\\]");
          i++;
        }
        continue;
      }
      if (c == ']' && inClass) {
        inClass = false;
      }
      if (c == '.' && !inClass && !dotall) {
        out.append("[^\n]");
        continue;
      }
      if (LUCENE_OPERATORS.indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  private static String members(char shorthand) {
    return switch (Character.toLowerCase(shorthand)) {
      case 'd' -> DIGIT;
      case 'w' -> WORD;
      case 's' -> SPACE;
      default -> null;
    };
  }
}
