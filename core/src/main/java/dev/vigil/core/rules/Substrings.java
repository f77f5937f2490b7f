package dev.vigil.core.rules;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which rules' literals a text contains, found in one pass over the text whatever the number of
 * literals (an Aho-Corasick automaton): how the stream matcher finds the candidates among rules
 * that need a value containing some literal ({@code *Pacu*}, a regexp's required literal) instead
 * of running each of them. Characters other than ASCII all read as one symbol, in literals and
 * texts alike, so a text containing a literal is always found (a few texts that do not may be found
 * too: candidates, decided by the rules themselves).
 */
final class Substrings {
  private static final int OTHER = 128; // every character beyond ASCII
  private static final int SYMBOLS = 129;

  private final boolean fold;
  // The transitions, a row of SYMBOLS per state: the next state's row offset, shifted left by one,
  // with the low bit set when some literal ends at that state.
  private final int[] table;
  private final int[][] found; // per state: the rules whose literal ends here

  /**
   * The automaton of {@code literals} (literal → rules needing it); with {@code fold}, ASCII
   * letters compare without case (texts holding other characters are not searched: see {@link
   * #find}).
   */
  Substrings(Map<String, int[]> literals, boolean fold) {
    this.fold = fold;
    List<int[]> edges = new ArrayList<>(); // the trie: per state, its child per symbol (0: none)
    List<TreeSet<Integer>> outputs = new ArrayList<>();
    edges.add(new int[SYMBOLS]);
    outputs.add(new TreeSet<>());
    literals.forEach(
        (literal, rules) -> {
          int state = 0;
          for (int i = 0; i < literal.length(); i++) {
            int c = symbol(literal.charAt(i), fold);
            if (edges.get(state)[c] == 0) {
              edges.get(state)[c] = edges.size();
              edges.add(new int[SYMBOLS]);
              outputs.add(new TreeSet<>());
            }
            state = edges.get(state)[c];
          }
          for (int rule : rules) {
            outputs.get(state).add(rule);
          }
        });
    int states = edges.size();
    int[][] next = new int[states][];
    found = new int[states][];
    int[] failure = new int[states];
    // Breadth first: a state's failure (its longest proper suffix that is a trie state) is known
    // before its children's, and a missing edge goes where the failure's edge goes.
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    next[0] = edges.get(0).clone();
    for (int c = 0; c < SYMBOLS; c++) {
      if (next[0][c] != 0) {
        queue.add(next[0][c]);
      }
    }
    found[0] = toArray(outputs.get(0));
    while (!queue.isEmpty()) {
      int state = queue.poll();
      int[] trie = edges.get(state);
      int[] row = new int[SYMBOLS];
      for (int c = 0; c < SYMBOLS; c++) {
        if (trie[c] != 0) {
          failure[trie[c]] = next[failure[state]][c];
          row[c] = trie[c];
          queue.add(trie[c]);
        } else {
          row[c] = next[failure[state]][c];
        }
      }
      next[state] = row;
      TreeSet<Integer> all = outputs.get(state);
      for (int rule : found[failure[state]]) {
        all.add(rule);
      }
      found[state] = toArray(all);
    }
    table = new int[states * SYMBOLS];
    for (int state = 0; state < states; state++) {
      for (int c = 0; c < SYMBOLS; c++) {
        int target = next[state][c];
        table[state * SYMBOLS + c] = (target * SYMBOLS) << 1 | (found[target].length > 0 ? 1 : 0);
      }
    }
  }

  private static int[] toArray(TreeSet<Integer> set) {
    return set.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int symbol(char c, boolean fold) {
    if (c >= OTHER) {
      return OTHER;
    }
    return fold && c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
  }

  /**
   * Sets in {@code into} (bits by rule) the rules whose literal {@code text} contains. A folding
   * automaton stands for tests that lower-case the text first ({@code
   * String.toLowerCase(Locale.ROOT)}), which may turn other characters into ASCII ones: a text
   * holding any is taken to contain every literal.
   */
  void find(String text, long[] into) {
    int row = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (fold && c >= OTHER) {
        all(into);
        return;
      }
      int step = table[row + symbol(c, fold)];
      row = step >>> 1;
      if ((step & 1) != 0) {
        for (int rule : found[row / SYMBOLS]) {
          into[rule >>> 6] |= 1L << rule;
        }
      }
    }
  }

  private void all(long[] into) {
    for (int[] rules : found) {
      for (int rule : rules) {
        into[rule >>> 6] |= 1L << rule;
      }
    }
  }

  /** How many states the automaton has (for its size). */
  int states() {
    return found.length;
  }
}
