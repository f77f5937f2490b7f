package dev.vigil.core.rules.sigma;

import java.util.ArrayList;
import java.util.List;

/**
 * Sigma's {@code windash} modifier as pySigma implements it (Sigma 2.x): a {@code -} or {@code /}
 * that starts a flag (no word character before it, a word character after it) becomes each of the
 * five characters Windows programs accept there; dashes inside a word ({@code param-name}) stay.
 * Each flag varies independently, so {@code -a -b} gives 25 values.
 */
final class Windash {
  /** Hyphen-minus, slash, en dash, em dash, horizontal bar. */
  static final List<String> DASHES = List.of("-", "/", "\u2013", "\u2014", "\u2015");

  /** Four flags give 625 values; five would pass OpenSearch's 1024-clause limit. */
  static final int MAX_FLAGS = 4;

  private Windash() {}

  /** The value with every combination of flag characters, or null past {@link #MAX_FLAGS}. */
  static List<String> variants(String value) {
    List<Integer> flags = new ArrayList<>();
    for (int i = 0; i < value.length(); i++) {
      if (startsFlag(value, i)) {
        flags.add(i);
      }
    }
    if (flags.size() > MAX_FLAGS) {
      return null;
    }
    List<String> out = new ArrayList<>(List.of(value));
    for (int at : flags) {
      List<String> next = new ArrayList<>();
      for (String v : out) {
        for (String dash : DASHES) {
          next.add(v.substring(0, at) + dash + v.substring(at + 1));
        }
      }
      out = next;
    }
    return out;
  }

  private static boolean startsFlag(String s, int i) {
    char c = s.charAt(i);
    return (c == '-' || c == '/')
        && (i == 0 || !word(s.charAt(i - 1)))
        && i + 1 < s.length()
        && word(s.charAt(i + 1));
  }

  private static boolean word(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
