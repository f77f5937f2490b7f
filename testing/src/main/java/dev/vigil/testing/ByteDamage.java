package dev.vigil.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * The byte-level damage the damaged-input corpora share: junk between records and one-byte edits.
 */
final class ByteDamage {
  private ByteDamage() {}

  /** Bytes that are no JSON value, written between a record and what follows it. */
  static String garbage(SplittableRandom random) {
    String alphabet = "x@#}]){[:,\"\\ 0";
    StringBuilder junk = new StringBuilder();
    int length = 1 + random.nextInt(12);
    for (int i = 0; i < length; i++) {
      junk.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return junk.toString();
  }

  /**
   * One byte of {@code record} deleted, inserted or replaced, drawn again until {@code acceptable}
   * holds for the result (the caller says what breaks the record without leaving one inside it).
   */
  static byte[] syntaxError(SplittableRandom random, byte[] record, Predicate<byte[]> acceptable) {
    byte[] alphabet = "{}[]\",:\\x \u0001".getBytes(StandardCharsets.ISO_8859_1);
    while (true) {
      int at = 1 + random.nextInt(record.length - 1);
      byte b = random.nextInt(8) == 0 ? (byte) 0xff : alphabet[random.nextInt(alphabet.length)];
      byte[] damaged =
          switch (random.nextInt(3)) {
            case 0 ->
                concat(
                    Arrays.copyOf(record, at), Arrays.copyOfRange(record, at + 1, record.length));
            case 1 ->
                concat(
                    Arrays.copyOf(record, at),
                    new byte[] {b},
                    Arrays.copyOfRange(record, at, record.length));
            default -> {
              byte[] copy = record.clone();
              copy[at] = b;
              yield copy;
            }
          };
      if (acceptable.test(damaged)) {
        return damaged;
      }
    }
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }
}
