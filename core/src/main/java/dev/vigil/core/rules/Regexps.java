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

  /**
   * The longest run of literal characters every match of {@code regex} (inside the shared subset)
   * contains, or "" when none is found: a conservative reading — only characters outside groups and
   * classes, not made optional by a quantifier, in an expression without alternatives at its top
   * level.
   */
  static String requiredLiteral(String regex) {
    String best = "";
    StringBuilder run = new StringBuilder();
    boolean literalLast = false; // the atom just read is the last character of run
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      switch (c) {
        case '\\' -> {
          if (i + 1 >= regex.length()) {
            return "";
          }
          run.append(regex.charAt(++i));
          literalLast = true;
        }
        case '[', '(' -> {
          if (regex.startsWith("[]", i) || regex.startsWith("[^]", i)) {
            return ""; // a class starting with ']': Lucene and Java may not agree where it ends
          }
          i = closing(regex, i);
          if (i < 0) {
            return "";
          }
          best = longer(best, run);
          literalLast = false;
        }
        case '.' -> {
          best = longer(best, run);
          literalLast = false;
        }
        case '*', '?', '{' -> {
          if (!literalLast && run.length() > 0) {
            return ""; // a quantifier after a quantifier: not read here
          }
          if (literalLast) {
            run.setLength(run.length() - 1); // the character may be absent or repeated
          }
          best = longer(best, run);
          if (c == '{') {
            i = regex.indexOf('}', i);
            if (i < 0) {
              return "";
            }
          }
          literalLast = false;
        }
        case '+' -> {
          if (!literalLast && run.length() > 0) {
            return "";
          }
          best = longer(best, run); // the character is there, what follows may not be adjacent
          literalLast = false;
        }
        case '|', ')', ']', '}' -> {
          return "";
        }
        default -> {
          run.append(c);
          literalLast = true;
        }
      }
    }
    return longer(best, run);
  }

  /** The index of the bracket closing the group or class opened at {@code open}, or -1. */
  private static int closing(String regex, int open) {
    int depth = 0;
    boolean inClass = false;
    for (int i = open; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i++;
      } else if (inClass) {
        inClass = c != ']';
        if (!inClass && depth == 0) {
          return i;
        }
      } else if (c == '[') {
        inClass = true;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
        if (depth == 0) {
          return i;
        }
      }
    }
    return -1;
  }

  /** The longer of {@code best} and the run (which is then emptied). */
  private static String longer(String best, StringBuilder run) {
    String out = run.length() > best.length() ? run.toString() : best;
    run.setLength(0);
    return out;
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
