package dev.vigil.core.parse.types;

import java.util.Arrays;

/**
 * Splits one log line into fields separated by runs of spaces, the layout AWS uses for VPC Flow
 * Logs, load balancer and S3 server access logs. Optionally a field may be {@code "quoted"} (it
 * then may contain spaces) or {@code [bracketed]} (S3's time). A closing quote counts only when a
 * space or the end of the line follows it, and a backslash escapes the next character, so a stray
 * quote inside a user agent does not cut the field; the field's text is kept as written (escapes
 * are not undone). Reused for every line of an object; not thread-safe.
 */
final class FieldSplitter {
  private final boolean quotes;
  private final boolean brackets;
  private String[] fields = new String[48];
  private char[] wraps = new char[48];
  private int count;
  private String error;

  FieldSplitter(boolean quotes, boolean brackets) {
    this.quotes = quotes;
    this.brackets = brackets;
  }

  /** Splits {@code line}; returns the number of fields, or -1 with {@link #error()} set. */
  int split(String line) {
    count = 0;
    error = null;
    int length = line.length();
    int i = 0;
    while (true) {
      while (i < length && line.charAt(i) == ' ') {
        i++;
      }
      if (i >= length) {
        return count;
      }
      char first = line.charAt(i);
      if (quotes && first == '"') {
        int end = closing(line, i + 1, '"');
        if (end < 0) {
          return fail("unterminated quote in field " + (count + 1) + " at character " + (i + 1));
        }
        add(line.substring(i + 1, end), '"');
        i = end + 1;
      } else if (brackets && first == '[') {
        int end = closing(line, i + 1, ']');
        if (end < 0) {
          return fail("unterminated '[' in field " + (count + 1) + " at character " + (i + 1));
        }
        add(line.substring(i + 1, end), '[');
        i = end + 1;
      } else {
        int end = line.indexOf(' ', i);
        if (end < 0) {
          end = length;
        }
        add(line.substring(i, end), ' ');
        i = end;
      }
    }
  }

  /** Field {@code index} (0-based) of the last split line. */
  String get(int index) {
    return fields[index];
  }

  /** How field {@code index} was written: {@code '"'} quoted, {@code '['} bracketed, else ' '. */
  char wrap(int index) {
    return wraps[index];
  }

  int count() {
    return count;
  }

  String error() {
    return error;
  }

  private int closing(String line, int from, char close) {
    int length = line.length();
    for (int i = from; i < length; i++) {
      char c = line.charAt(i);
      if (c == '\\' && close == '"') {
        i++;
      } else if (c == close && (i + 1 == length || line.charAt(i + 1) == ' ')) {
        return i;
      }
    }
    return -1;
  }

  private void add(String value, char wrap) {
    if (count == fields.length) {
      fields = Arrays.copyOf(fields, count * 2);
      wraps = Arrays.copyOf(wraps, count * 2);
    }
    wraps[count] = wrap;
    fields[count++] = value;
  }

  private int fail(String reason) {
    error = reason;
    return -1;
  }
}
