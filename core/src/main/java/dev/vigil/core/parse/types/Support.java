package dev.vigil.core.parse.types;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.core.parse.JsonRecordReader;
import dev.vigil.core.parse.ParseContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Small helpers shared by the JSON log parsers. */
final class Support {
  private Support() {}

  /** The reason given for a record lost to malformed JSON. */
  static String malformed(long line, JsonProcessingException e, long resumedAt) {
    return "malformed JSON in the value starting on line "
        + line
        + ": "
        + e.getOriginalMessage()
        + (resumedAt > 0
            ? "; reading resumed on line " + resumedAt
            : "; nothing readable follows it");
  }

  /**
   * The reason given for damaged input skipped to resume at the next readable record: where and how
   * the JSON broke, the bytes skipped, and whether a {@code record} (e.g. "event") started there.
   */
  static String skipped(
      long damageAt,
      String damage,
      long from,
      long bytes,
      long records,
      String record,
      String then) {
    return "malformed JSON at byte "
        + damageAt
        + ": "
        + damage
        + "; skipped "
        + bytes
        + " bytes from byte "
        + from
        + (records == 1 ? " (the damaged " + record + ")" : " (no " + record + " started there)")
        + "; "
        + then;
  }

  /** Rejects what {@link JsonRecordReader#resumeInArray} skipped as record {@code number}. */
  static void rejectSkipped(
      ParseContext context, long number, JsonRecordReader.Skip skip, String record) {
    String then =
        switch (skip.resumed()) {
          case IN_ARRAY -> "reading resumed at byte " + skip.to() + ", in the same array";
          case AT_ROOT -> "reading resumed at byte " + skip.to();
          case END -> "nothing readable follows";
        };
    context.rejectSkipped(
        number,
        skip.from(),
        skip.bytes(),
        skip.records(),
        skipped(
            skip.damageAt(),
            skip.damage(),
            skip.from(),
            skip.bytes(),
            skip.records(),
            record,
            then));
  }

  /** How a JSON value of this kind is named in rejections. */
  static String describe(JsonToken token) {
    if (token == null) {
      return "nothing";
    }
    return switch (token) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> token.toString();
    };
  }

  /**
   * An RFC 3339 / ISO-8601 time (also with a space for the {@code T}; without a zone it is UTC), or
   * null when {@code text} is not one. See {@link Times#iso}.
   */
  static Instant instant(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    Instant time = Times.iso(text);
    if (time != null) {
      return time;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException again) {
        return null;
      }
    }
  }

  /** Epoch milliseconds given as a number or a string of digits, or ISO-8601 text; else null. */
  static Instant epochMillis(String text) {
    return Times.epochMillisOrIso(text);
  }

  /** {@code @timestamp} text for an instant parsed from {@code text}: the text itself when UTC. */
  static String utcText(String text) {
    return Times.utcText(text);
  }
}
