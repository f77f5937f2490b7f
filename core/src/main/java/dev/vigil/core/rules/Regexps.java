package dev.vigil.core.rules;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The part of regular expression syntax Lucene (OpenSearch regexp queries) and Java read the same
 * way: literals, {@code . * + ? | ( ) [ ] [^ ] { }} and backslash escapes of punctuation. Lucene's
 * optional operators ({@code @ & ~ < > #}), its string quotes ({@code "}), Java's shorthand classes
 * ({@code \d \w \s}), anchors and groups like {@code (?i)} mean different things in one or the
 * other, so they are refused instead of being run differently.
 */
public final class Regexps {
  private Regexps() {}

  /** The reason {@code regex} is outside the shared subset, or null when it is inside. */
  public static String unsupported(String regex) {
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        if (i + 1 >= regex.length()) {
          return "a trailing backslash";
        }
        char next = regex.charAt(++i);
        if (Character.isLetterOrDigit(next)) {
          return "the escape \\" + next + " (Lucene and Java read it differently)";
        }
        continue;
      }
      if ("@&~<>#\"".indexOf(c) >= 0) {
        return "'" + c + "' (an operator or quote in Lucene regular expressions)";
      }
      if (c == '^' && !(i > 0 && regex.charAt(i - 1) == '[')) {
        return "the anchor '^' (Lucene regular expressions always match the whole value)";
      }
      if (c == '$') {
        return "the anchor '$' (Lucene regular expressions always match the whole value)";
      }
      if (c == '(' && i + 1 < regex.length() && regex.charAt(i + 1) == '?') {
        return "the group '(?' (not Lucene syntax)";
      }
    }
    return null;
  }

  static Pattern toJava(String regex, String field) {
    String reason = unsupported(regex);
    if (reason != null) {
      throw new RuleException("regexp on " + field + ": " + reason + " is not supported");
    }
    try {
      return Pattern.compile(regex, Pattern.DOTALL);
    } catch (PatternSyntaxException e) {
      throw new RuleException("regexp on " + field + " is not valid: " + e.getDescription());
    }
  }
}
