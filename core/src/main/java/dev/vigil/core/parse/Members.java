package dev.vigil.core.parse;

import java.util.Arrays;

/**
 * Where a document's wanted top-level members hold their values, as the parser noted while writing
 * the document: a reader that needs a few top-level fields goes straight to their values instead of
 * scanning the whole document again. The wanted names come from the sink ({@link
 * DocumentSink#memberNames}); each noted member carries its name's index among them (its group). A
 * parser reuses one instance from document to document; see {@link ParsedDocument#members()}.
 */
public final class Members {
  private final String[] names;
  private int[] starts = new int[16];
  private int[] groups = new int[16];
  private int count;
  private boolean complete = true;

  /** Members of the top-level {@code names} (the sink's array, compared by identity). */
  public Members(String[] names) {
    this.names = names;
  }

  /** The wanted names, as the sink gave them. */
  public String[] names() {
    return names;
  }

  public Members reset() {
    count = 0;
    complete = true;
    return this;
  }

  /** Notes that a member named {@code names[group]} has its value at {@code valueStart}. */
  public void add(int valueStart, int group) {
    if (count == starts.length) {
      starts = Arrays.copyOf(starts, count * 2);
      groups = Arrays.copyOf(groups, count * 2);
    }
    starts[count] = valueStart;
    groups[count++] = group;
  }

  /**
   * Notes a top-level name that may lead to a wanted field without being one of the names (a name
   * holding a dot, or escapes): a reader must then read the whole document.
   */
  public void incomplete() {
    complete = false;
  }

  /** Whether every member that a wanted field may lie in was noted. */
  public boolean complete() {
    return complete;
  }

  public int count() {
    return count;
  }

  /** The offset in the document's source where member {@code i}'s value starts. */
  public int start(int i) {
    return starts[i];
  }

  /** The index in {@link #names()} of member {@code i}'s name. */
  public int group(int i) {
    return groups[i];
  }

  /** A copy the caller may keep. */
  public Members copy() {
    Members out = new Members(names);
    out.starts = Arrays.copyOf(starts, Math.max(count, 1));
    out.groups = Arrays.copyOf(groups, Math.max(count, 1));
    out.count = count;
    out.complete = complete;
    return out;
  }
}
