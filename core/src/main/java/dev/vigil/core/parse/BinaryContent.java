package dev.vigil.core.parse;

/**
 * Tells binary content from text by its head, so an object that is neither compressed nor text
 * (random bytes, an image, an archive Vigil does not open) is refused whole instead of read as
 * records of garbage. Text may hold a few stray bytes (Latin-1 in a user agent); binary holds a NUL
 * or many bytes that are neither printable nor valid UTF-8.
 */
final class BinaryContent {
  /** More than this share of bytes out of place makes the head binary. */
  private static final double MAX_ODD_SHARE = 0.05;

  private BinaryContent() {}

  /** Why the first {@code length} bytes of {@code head} are not text, or null when they are. */
  static String problem(byte[] head, int length) {
    int odd = 0;
    int i = 0;
    while (i < length) {
      int b = head[i] & 0xff;
      if (b == 0) {
        return "a NUL byte at " + i;
      }
      int continuation =
          b < 0x80
              ? 0
              : b >= 0xc2 && b <= 0xdf
                  ? 1
                  : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
      if (continuation < 0 || (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f')) {
        odd++;
        i++;
        continue;
      }
      int j = 1;
      while (j <= continuation && i + j < length && (head[i + j] & 0xc0) == 0x80) {
        j++;
      }
      if (j <= continuation && i + j < length) {
        odd++; // a sequence broken before its end (one cut by the end of the head is fine)
        i++;
        continue;
      }
      i += j;
    }
    return odd > MAX_ODD_SHARE * length
        ? odd + " of the first " + length + " bytes are neither printable text nor UTF-8"
        : null;
  }
}
