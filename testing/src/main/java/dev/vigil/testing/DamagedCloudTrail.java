package dev.vigil.testing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A seeded corpus of damaged CloudTrail input: {@link SyntheticCloudTrail} events in every
 * container layout Vigil reads, with syntax errors inside events, stray non-object elements,
 * garbage between events and truncation. The generator remembers the bytes it wrote for each event,
 * so the events that survived intact are told by reading those bytes alone with Jackson ({@link
 * Corpus#wellFormedIds}) — a reference independent of the parser under test.
 *
 * <p>One damage is ruled out because no reader can tell it from intact input: a damaged event that
 * holds a complete event — its head closed early by an inserted '}' reads exactly like an event
 * followed by garbage, its tail opened by an inserted '{' like garbage followed by an event. Such
 * damage is drawn again.
 */
public final class DamagedCloudTrail {
  private static final ObjectMapper STRICT =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final ObjectMapper PREFIX = new ObjectMapper();

  /** How events are laid out in the object. */
  public enum Layout {
    /** {@code {"Records":[e1,e2,…]}}, as CloudTrail writes to S3. */
    RECORDS,
    /** Two Records objects, one after the other. */
    TWO_RECORDS_OBJECTS,
    /** {@code [e1,e2,…]}. */
    BARE_ARRAY,
    /** One event per line. */
    NDJSON,
    /** Events back to back with nothing between them (as Firehose concatenates). */
    CONCATENATED
  }

  /** What was done to the input. */
  public enum Damage {
    SYNTAX_ERROR,
    STRAY_ELEMENT,
    GARBAGE_BETWEEN,
    TRUNCATION
  }

  /**
   * The object's bytes, each event's bytes as written (cut short when the object was), and how
   * often each damage was applied.
   */
  public record Corpus(byte[] bytes, List<Written> events, Map<Damage, Integer> damages) {
    /**
     * The eventIDs of the events whose written bytes are, on their own, exactly one JSON object
     * (Jackson, no trailing bytes) with a string {@code eventID} and an ISO-8601 {@code eventTime}.
     */
    public Set<String> wellFormedIds() {
      Set<String> ids = new LinkedHashSet<>();
      for (Written event : events) {
        JsonNode node = wellFormed(event.bytes());
        if (node != null) {
          ids.add(node.get("eventID").textValue());
        }
      }
      return ids;
    }

    /** The events whose written bytes are not a well-formed event. */
    public List<Written> damagedEvents() {
      return events.stream().filter(e -> wellFormed(e.bytes()) == null).toList();
    }
  }

  /** One event's bytes as they stand in the object, from {@code offset} on. */
  public record Written(long offset, byte[] bytes) {}

  private DamagedCloudTrail() {}

  /**
   * {@code events} events laid out as {@code layout}; about one in {@code every} gets a damage, and
   * with {@code truncate} the object ends inside one of its last events.
   */
  public static Corpus generate(long seed, int events, Layout layout, int every, boolean truncate) {
    for (long attempt = seed; ; attempt += 1_000_003) {
      Corpus corpus = draw(attempt, events, layout, every, truncate);
      if (!holdsAPhantom(corpus)) {
        return corpus;
      }
    }
  }

  /**
   * Whether damage and its surroundings together read as an event that was not written: a brace
   * outside the well-formed events (a damaged event, garbage, a stray element) that starts a
   * complete object with an eventTime — e.g. garbage ending in <code>{"</code> before an event that
   * lost its first quote. No reader can tell that from an event.
   */
  private static boolean holdsAPhantom(Corpus corpus) {
    byte[] bytes = corpus.bytes();
    boolean[] inside = new boolean[bytes.length];
    for (Written event : corpus.events()) {
      if (wellFormed(event.bytes()) != null) {
        Arrays.fill(
            inside, (int) event.offset(), (int) event.offset() + event.bytes().length, true);
      }
    }
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '{' && !inside[i] && startsAnEvent(bytes, i)) {
        return true;
      }
    }
    return false;
  }

  private static Corpus draw(long seed, int events, Layout layout, int every, boolean truncate) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<Damage, Integer> damages = new EnumMap<>(Damage.class);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<long[]> ranges = new ArrayList<>();
    Instant start = Instant.parse("2026-11-27T10:00:00Z");
    boolean array = layout != Layout.NDJSON && layout != Layout.CONCATENATED;
    for (int i = 0; i < events; i++) {
      if (i == 0 || (layout == Layout.TWO_RECORDS_OBJECTS && i == events / 2)) {
        if (i > 0) {
          ByteDamage.write(out, "]}\n");
        }
        ByteDamage.write(out, layout == Layout.BARE_ARRAY ? "[" : array ? "{\"Records\":[" : "");
      } else {
        ByteDamage.write(out, separator(layout));
      }
      if (random.nextInt(every) == 0) {
        ByteDamage.write(out, stray(random, array) + separator(layout));
        count(damages, Damage.STRAY_ELEMENT);
      }
      byte[] event =
          SyntheticCloudTrail.event(random, i, start.plusMillis(i * 37L))
              .getBytes(StandardCharsets.UTF_8);
      if (random.nextInt(every) == 0) {
        event =
            ByteDamage.syntaxError(random, event, d -> wellFormed(d) == null && !holdsAnEvent(d));
        count(damages, Damage.SYNTAX_ERROR);
      }
      ranges.add(new long[] {out.size(), out.size() + event.length});
      out.writeBytes(event);
      if (random.nextInt(every) == 0) {
        ByteDamage.write(out, ByteDamage.garbage(random));
        count(damages, Damage.GARBAGE_BETWEEN);
      }
    }
    ByteDamage.write(out, array ? (layout == Layout.BARE_ARRAY ? "]" : "]}") : "\n");
    byte[] bytes = out.toByteArray();
    if (truncate) {
      long[] last = ranges.get(ranges.size() - 1 - random.nextInt(Math.min(5, ranges.size())));
      int cut = (int) (last[0] + 1 + random.nextInt((int) (last[1] - last[0] - 1)));
      bytes = Arrays.copyOf(bytes, cut);
      count(damages, Damage.TRUNCATION);
    }
    List<Written> written = new ArrayList<>();
    for (long[] range : ranges) {
      if (range[0] < bytes.length) {
        written.add(
            new Written(
                range[0],
                Arrays.copyOfRange(bytes, (int) range[0], (int) Math.min(range[1], bytes.length))));
      }
    }
    return new Corpus(bytes, written, damages);
  }

  private static String separator(Layout layout) {
    return switch (layout) {
      case NDJSON -> "\n";
      case CONCATENATED -> "";
      default -> ",";
    };
  }

  /** A valid JSON value that is not an event: in an array an element, else a root of its own. */
  private static String stray(SplittableRandom random, boolean array) {
    String[] values = {
      "\"not an event\"",
      "42",
      "null",
      "true",
      "[1,{\"a\":2}]",
      "{\"note\":\"no event time\"}",
      "-0.5e3"
    };
    String value = values[random.nextInt(values.length)];
    return array || value.startsWith("{") || value.startsWith("[") ? value : value + " ";
  }

  /** Whether some brace starts a complete object that has an eventTime. */
  private static boolean holdsAnEvent(byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '{' && startsAnEvent(bytes, i)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a complete object with an eventTime starts at {@code at} (whatever follows it). */
  private static boolean startsAnEvent(byte[] bytes, int at) {
    try (JsonParser parser = PREFIX.createParser(bytes, at, bytes.length - at)) {
      JsonNode node = PREFIX.readTree(parser);
      return node != null && node.isObject() && node.has("eventTime");
    } catch (IOException notAnObject) {
      return false;
    }
  }

  /** The event when {@code bytes} are exactly one well-formed event, else null. */
  static JsonNode wellFormed(byte[] bytes) {
    try {
      JsonNode node = STRICT.readTree(bytes);
      if (node == null
          || !node.isObject()
          || !node.path("eventID").isTextual()
          || !node.path("eventTime").isTextual()) {
        return null;
      }
      Instant.parse(node.get("eventTime").textValue());
      return node;
    } catch (IOException | DateTimeParseException e) {
      return null;
    }
  }

  private static void count(Map<Damage, Integer> damages, Damage damage) {
    damages.merge(damage, 1, Integer::sum);
  }
}
