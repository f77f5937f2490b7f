package dev.vigil.core.parse.types;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.core.LogType;
import dev.vigil.core.ingest.AccountDirectory;
import dev.vigil.core.parse.AccountFields;
import dev.vigil.core.parse.DocumentBuilder;
import dev.vigil.core.parse.JsonCopy;
import dev.vigil.core.parse.JsonScanner;
import dev.vigil.core.parse.JsonScanner.MalformedJsonException;
import dev.vigil.core.parse.LogParser;
import dev.vigil.core.parse.Members;
import dev.vigil.core.parse.ParseContext;
import dev.vigil.core.parse.PromotedFields;
import dev.vigil.core.parse.RawGeo;
import dev.vigil.core.parse.RawJsonWriter;
import dev.vigil.core.parse.RecordCounter;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * CloudTrail: the S3 object layout {@code {"Records":[…]}}, a bare array of events, or
 * newline-delimited events (several roots in one stream). Digest files are recognised and skipped.
 * Document id: the event's {@code eventID}.
 *
 * <p>Speed comes from never tokenizing or re-serializing an event: a {@link JsonScanner} walks its
 * top-level fields, notes where the few values the ECS mapping repeats sit and skips the rest while
 * checking it is JSON; the document is the event's own bytes followed by ECS fields spliced from
 * those same bytes. An event with a top-level name Vigil writes itself (a shipper's {@code
 * @timestamp}) or an unusual value takes the slow path: Jackson re-reads it through {@link
 * DocumentBuilder}, which renames; a test proves both paths agree.
 *
 * <p>Damage costs only the damaged bytes: an element that is not an object is rejected alone, and
 * after malformed JSON reading resumes at the next event (see {@code Run#resync}); the skipped bytes
 * are one rejection saying how many bytes and events they held.
 */
public final class CloudTrailParser implements LogParser {
  private static final Set<String> DIGEST_FIELDS =
      Set.of(
          "digestStartTime",
          "digestEndTime",
          "digestS3Bucket",
          "digestS3Object",
          "previousDigestSignature");

  /**
   * requestParameters sub-fields rules group by and dashboards aggregate; see {@link
   * DocumentBuilder#promote}.
   */
  static final Set<String> PROMOTED_REQUEST_FIELDS = PromotedFields.CLOUDTRAIL_REQUEST;

  private static final String[] REQUEST_NAME_LIST = PROMOTED_REQUEST_FIELDS.toArray(String[]::new);
  private static final JsonScanner.Names REQUEST_NAMES = new JsonScanner.Names(REQUEST_NAME_LIST);
  private static final JsonScanner.Names IDENTITY_NAMES =
      new JsonScanner.Names("type", "arn", "userName", "accountId", "invokedBy");

  // Top-level names the fast path looks for: first those read into Event.top (same order), then
  // the two objects whose fields are captured, then the names Vigil writes itself.
  private static final String[] READ_OR_CAPTURED = {
    "eventTime",
    "@timestamp",
    "eventID",
    "eventSource",
    "eventName",
    "errorCode",
    "recipientAccountId",
    "awsRegion",
    "sourceIPAddress",
    "userAgent",
    "userIdentity",
    "requestParameters"
  };
  private static final String[] TOP_NAME_LIST =
      Stream.concat(
              Arrays.stream(READ_OR_CAPTURED),
              DocumentBuilder.RESERVED.stream().filter(n -> !n.equals("@timestamp")))
          .toArray(String[]::new);
  private static final JsonScanner.Names TOP_NAMES = new JsonScanner.Names(TOP_NAME_LIST);

  /** The top-level members the fast path splices after the event's own, in order. */
  private static final String[] SPLICED = {
    "@timestamp", "event", "cloud", "source", "user", "user_agent", "related", "aws", "vigil"
  };

  private static final int USER_IDENTITY = 10;
  private static final int REQUEST_PARAMETERS = 11;
  private static final int FIRST_RESERVED = READ_OR_CAPTURED.length;
  // Not names: the event's first name is still to be read; the event has no more fields.
  private static final int NO_NAME_READ = -2;
  private static final int PLAIN_UNKNOWN_NAME = -3;
  private static final int END = -3;

  /** Where reading goes on after damage: at a root value, inside an array of events, or nowhere. */
  private enum Resume {
    ROOT,
    EVENT_IN_ARRAY,
    END
  }

  /** What an opening brace found while resynchronising starts. */
  private enum Candidate {
    NONE,
    EVENT,
    RECORDS
  }

  // Names that tell a place to resume after damage: an event has a time; a Records object.
  private static final JsonScanner.Names RESYNC_NAMES =
      new JsonScanner.Names("eventTime", "@timestamp", "Records");
  private static final int EVENT_TIME = 0;
  private static final int SHIPPER_TIME = 1;
  private static final int RECORDS = 2;

  private final boolean alwaysCopy;

  // The fixed parts of the spliced ECS fields, encoded once.
  private static final byte[] FIRST_TIMESTAMP = ascii("\"@timestamp\":");
  private static final byte[] NEXT_TIMESTAMP = ascii(",\"@timestamp\":");
  private static final byte[] SUCCESS = ascii(",\"outcome\":\"success\"}");
  private static final byte[] FAILURE = ascii(",\"outcome\":\"failure\"}");
  private static final byte[] FIRST_USERS = ascii("\"user\":[");
  private static final byte[] NEXT_USERS = ascii(",\"user\":[");
  private static final byte[] COMMA = ascii(",");
  private static final byte[] QUOTE = ascii("\"");
  private static final byte[] NOTHING = new byte[0];
  private static final byte[] EVENT_KIND = ascii(",\"event\":{\"kind\":\"event\"");
  private static final byte[] CLOUD_AWS = ascii(",\"cloud\":{\"provider\":\"aws\"");
  private static final byte[] CLOSE_OBJECT = ascii("}");
  private static final byte[] SOURCE_IP = ascii(",\"source\":{\"ip\":");
  private static final byte[] USER_NAME = ascii(",\"user\":{\"name\":");
  private static final byte[] RELATED = ascii(",\"related\":{");
  private static final byte[] RELATED_IPS = ascii("\"ip\":[");
  private static final byte[] CLOSE_ARRAY = ascii("]");
  private static final byte[] AWS_REQUEST = ascii(",\"aws\":{\"request\":{");
  private static final byte[] CLOSE_TWO = ascii("}}");

  public CloudTrailParser() {
    this(false);
  }

  private CloudTrailParser(boolean alwaysCopy) {
    this.alwaysCopy = alwaysCopy;
  }

  /**
   * A parser that always takes the slow, re-serializing path: for tests that prove both paths
   * agree.
   */
  public static CloudTrailParser copyingEveryEvent() {
    return new CloudTrailParser(true);
  }

  @Override
  public LogType type() {
    return LogType.CLOUDTRAIL;
  }

  @Override
  public void parse(InputStream content, ParseContext context) throws IOException {
    if (context.origin().key().contains("CloudTrail-Digest")) {
      context.skip("CloudTrail digest file");
      return;
    }
    new Run(new JsonScanner(content), context).all();
  }

  /** One object's parse: the scanner over its bytes and the reusable per-event state. */
  private final class Run {
    private final JsonScanner in;
    private final ParseContext context;
    private final RecordCounter record = new RecordCounter();
    private final Event event = new Event();
    private final RawJsonWriter out = new RawJsonWriter();
    private final byte[] vigilFields;

    // Noting the members the sink wants (null when it wants none): top-level names are looked up
    // once, in TOP_NAMES followed by the wanted names it lacks; group: a name's index among the
    // wanted ones, or -1.
    private final Members members;
    private final JsonScanner.Names names;
    private final int[] group;
    private final int[] splicedGroup;

    Run(JsonScanner in, ParseContext context) {
      this.in = in;
      this.context = context;
      this.vigilFields = vigilFields(context);
      String[] wanted = context.memberNames(LogType.CLOUDTRAIL);
      if (wanted == null) {
        members = null;
        names = TOP_NAMES;
        group = null;
        splicedGroup = null;
        return;
      }
      members = new Members(wanted);
      List<String> all = new ArrayList<>(Arrays.asList(TOP_NAME_LIST));
      Arrays.stream(wanted).filter(n -> !all.contains(n)).forEach(all::add);
      names = new JsonScanner.Names(all.toArray(String[]::new));
      List<String> wantedList = Arrays.asList(wanted);
      group = all.stream().mapToInt(wantedList::indexOf).toArray();
      splicedGroup = Arrays.stream(SPLICED).mapToInt(wantedList::indexOf).toArray();
    }

    /** The parser's own index of a name found in {@link #names} (-1: not one it reads). */
    private int own(int name) {
      return name < TOP_NAME_LIST.length ? name : -1;
    }

    /**
     * Notes a top-level member whose name (index {@code name} in {@link #names}, its opening quote
     * at {@code from}) was just read; its value follows.
     */
    private void member(int name, long from, long opening) {
      if (members == null) {
        return;
      }
      if (name >= 0 && group[name] >= 0) {
        members.add((int) (in.offset() - opening), group[name]);
      } else if (name < 0 && !plainWithoutDot(from)) {
        members.incomplete();
      }
    }

    /** Whether the name whose opening quote is at {@code from} has neither dots nor escapes. */
    private boolean plainWithoutDot(long from) {
      for (long i = from + 1; ; i++) {
        int b = in.byteAt(i);
        if (b == '"') {
          return true;
        }
        if (b == '.' || b == '\\') {
          return false;
        }
      }
    }

    /**
     * Notes spliced member {@code k} of {@link #SPLICED}, about to be written with a comma or not.
     */
    private void spliced(int k, boolean comma) {
      if (members != null && splicedGroup[k] >= 0) {
        members.add(out.length() + (comma ? 1 : 0) + SPLICED[k].length() + 3, splicedGroup[k]);
      }
    }

    /** Reads every root value, resuming after damage until the input ends. */
    void all() throws IOException {
      Resume resume = Resume.ROOT;
      while (resume != Resume.END) {
        resume = resume == Resume.EVENT_IN_ARRAY ? restOfArray() : roots();
      }
    }

    /**
     * Reads root values — a {@code Records} object, a bare array, a lone event — until the input
     * ends ({@link Resume#END}) or damage outside an array made reading resume elsewhere.
     */
    private Resume roots() throws IOException {
      while (true) {
        int c = in.peek();
        if (c < 0) {
          return Resume.END;
        }
        long start = in.offset();
        in.retainFrom(start);
        Resume resumed;
        try {
          if (c == '[') {
            in.advance();
            resumed = events();
          } else if (c == '{') {
            resumed = rootObject();
          } else {
            throw in.unexpected("a JSON object or array");
          }
        } catch (MalformedJsonException e) {
          return resync(start, start, record.failed(), e);
        }
        if (resumed != null) {
          return resumed;
        }
      }
    }

    /**
     * Goes on with the events of an array that reading resumed inside; then, when the array was an
     * object's field, with the rest of that object.
     */
    private Resume restOfArray() throws IOException {
      Resume resumed = events();
      if (resumed != null) {
        return resumed;
      }
      int c = in.peek();
      if (c == ',' || c == '}') {
        long start = in.offset();
        try {
          skipRestOfObject();
        } catch (MalformedJsonException e) {
          return resync(start, -1, record.failed(), e);
        }
      }
      return Resume.ROOT;
    }

    /** A root object; null when it was read to its end, else where reading resumed. */
    private Resume rootObject() throws IOException {
      long opening = in.offset();
      int breaks = in.lineBreaks();
      in.advance();
      if (in.peek() == '}') {
        in.advance();
        context.reject(record.next(), opening, "an empty object, not an event");
        record.done();
        return null;
      }
      String first = in.nameText();
      if ("Records".equals(first)) {
        in.expect('[');
        Resume resumed = events();
        if (resumed != null) {
          return resumed;
        }
        in.retainFrom(in.offset());
        skipRestOfObject();
        return null;
      }
      if (DIGEST_FIELDS.contains(first) || "awsAccountId".equals(first)) {
        in.skipValue();
        skipRestOfObject();
        context.skip("CloudTrail digest file");
        return null;
      }
      // One event per root (newline-delimited JSON): its first name is read already.
      int name = names.find(first);
      // An unknown name without a dot holds nothing a rule reads, as member() decides for the rest.
      event(
          opening,
          breaks,
          record.next(),
          name < 0 && first.indexOf('.') < 0 ? PLAIN_UNKNOWN_NAME : name);
      record.done();
      return null;
    }

    /**
     * The elements of an array (its '[' consumed) to its ']' (then null), each event read on its
     * own: a value that is not an object is rejected alone, and malformed JSON costs only the bytes
     * up to the next readable event. Returns where reading resumed when that is not in this array.
     */
    private Resume events() throws IOException {
      if (in.peek() == ']') {
        in.advance();
        return null;
      }
      while (true) {
        int c = in.peek();
        long start = in.offset();
        in.retainFrom(start);
        boolean read = false;
        try {
          if (c == '{') {
            int breaks = in.lineBreaks();
            in.advance();
            event(start, breaks, record.next(), NO_NAME_READ);
            record.done();
          } else {
            stray(c, start);
          }
          read = true;
          if (!separator(']')) {
            return null;
          }
        } catch (MalformedJsonException e) {
          Resume resumed =
              read
                  ? resync(e.offset(), -1, record.failed(), e)
                  : resync(start, start, record.failed(), e);
          if (resumed != Resume.EVENT_IN_ARRAY) {
            return resumed;
          }
        }
      }
    }

    /**
     * An array element that is a valid JSON value but not an object: rejected on its own once what
     * follows it shows it was an element (a quote of garbage may instead have swallowed the start
     * of the next event into a "string": then the element fails, and resynchronising finds the
     * event).
     */
    private void stray(int c, long start) throws IOException {
      if (c == ']' || c < 0) {
        throw in.unexpected("an event object"); // a trailing comma, or the input ends
      }
      in.skipValue();
      int next = in.peek();
      if (next != ',' && next != ']') {
        throw in.unexpected("',' or ']'");
      }
      in.retainFrom(in.offset());
      context.reject(
          record.next(),
          start,
          "expected an event object but found "
              + switch (c) {
                case '"' -> "a string";
                case '[' -> "an array";
                case 't', 'f' -> "a boolean";
                case 'n' -> "null";
                default -> "a number";
              }
              + "; skipped alone");
      record.done();
    }

    /**
     * Skips damaged input and rejects it as record {@code number}: from {@code from} (not before
     * the first byte not yet delivered), looks for the next opening brace that starts a complete,
     * valid object with an event time (an event) or a {@code Records} array. Nesting and strings
     * are not trusted on the way — a damaged value may have thrown either off, e.g. a lost quote —
     * so each candidate brace is read on its own, from scratch. {@code failedElement} is where the
     * element that broke starts (-1 when the damage followed a complete element): it is no place to
     * resume.
     */
    private Resume resync(long from, long failedElement, long number, MalformedJsonException damage)
        throws IOException {
      long start = Math.max(from, in.retained());
      in.rewind(start);
      long events = start == failedElement && in.peek() == '{' ? 1 : 0;
      int before = 0; // the last byte that is not whitespace before a candidate
      while (true) {
        in.retainFrom(in.offset());
        int c = in.rawByte();
        if (c < 0) {
          reportSkipped(
              number, start, in.offset(), failedElement, damage, "nothing readable follows");
          return Resume.END;
        }
        long at = in.offset() - 1;
        if (c != '{' || at == failedElement) {
          if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            before = c;
          }
          continue;
        }
        Candidate candidate = candidate(at);
        if (candidate == Candidate.NONE) {
          before = c;
          continue;
        }
        reportSkipped(number, start, at, events, damage, "reading resumed at byte " + at);
        if (candidate == Candidate.RECORDS) {
          return Resume.ROOT;
        }
        return before == ',' || before == '[' ? Resume.EVENT_IN_ARRAY : Resume.ROOT;
      }
    }

    /**
     * Whether the brace at {@code at} (just consumed) starts an event or a {@code Records} object;
     * the scanner is left at the brace when it does, after it when not.
     */
    private Candidate candidate(long at) throws IOException {
      in.retainFrom(at);
      Candidate found = Candidate.NONE;
      try {
        if (in.peek() != '}') {
          while (true) {
            int name = in.name(RESYNC_NAMES);
            if (name == RECORDS && in.peek() == '[') {
              found = Candidate.RECORDS;
              break;
            }
            if (name == EVENT_TIME || name == SHIPPER_TIME) {
              found = Candidate.EVENT;
            }
            in.skipValue();
            if (!separator('}')) {
              break;
            }
          }
        }
      } catch (MalformedJsonException notHere) {
        found = Candidate.NONE;
      }
      in.rewind(found == Candidate.NONE ? at + 1 : at);
      return found;
    }

    private void reportSkipped(
        long number, long from, long to, long events, MalformedJsonException damage, String then) {
      context.rejectSkipped(
          number,
          from,
          to - from,
          events,
          Support.skipped(
              damage.offset(), damage.getMessage(), from, to - from, events, "event", then));
    }

    /**
     * Reads one event whose opening brace is at {@code opening}; the scanner stands after that
     * brace, or after the first field's name and colon when {@code firstName} is not {@link
     * #NO_NAME_READ} (it is then that name's index in {@link #names}, {@link #PLAIN_UNKNOWN_NAME}
     * for a name not among them without a dot, or -1 for one with a dot).
     */
    void event(long opening, int breaks, long number, int firstName) throws IOException {
      in.retainFrom(opening);
      Event e = event.reset();
      if (members != null) {
        members.reset();
      }
      int name = firstName;
      if (name == NO_NAME_READ) {
        if (in.peek() == '}') {
          name = END;
        } else {
          name = name(opening);
        }
      } else if (name == PLAIN_UNKNOWN_NAME) {
        name = -1; // read already, telling the root's shape (a bare event): nothing to note
      } else if (members != null) {
        // The first name was read already, telling the root's shape (a bare event): noted here.
        if (name < 0) {
          members.incomplete(); // a dotted name: it may stand for a path a rule reads
        } else if (group[name] >= 0) {
          members.add((int) (in.offset() - opening), group[name]);
        }
      }
      while (name != END) {
        e.fields++;
        field(own(name), e);
        if (!separator('}')) {
          break;
        }
        name = name(opening);
      }
      long closing = in.offset() - 1; // the event's closing brace
      e.multiline = in.lineBreaks() != breaks;
      emit(e, opening, closing, number);
      in.retainFrom(closing + 1);
    }

    /** Reads a top-level name and its colon, noting the member; its index in {@link #names}. */
    private int name(long opening) throws IOException {
      if (members == null) {
        return in.name(names);
      }
      in.peek();
      long from = in.offset();
      int name = in.name(names);
      member(name, from, opening);
      return name;
    }

    /** One top-level field's value: read, captured, or skipped (checked all the same). */
    private void field(int name, Event e) throws IOException {
      if (name < 0) {
        in.skipValue();
      } else if (name >= FIRST_RESERVED) {
        e.slow = true; // a name Vigil writes itself: the builder renames it
        in.skipValue();
      } else if (name == USER_IDENTITY || name == REQUEST_PARAMETERS) {
        capture(e, name == USER_IDENTITY);
      } else {
        Token slot = e.top[name];
        if (slot == e.shipperTime) {
          e.slow = true; // "@timestamp" is a name Vigil writes itself
        }
        read(slot, e);
      }
    }

    /**
     * Reads a wanted value with its raw byte range; anything but a string sends the event down the
     * slow path.
     */
    private void read(Token slot, Event e) throws IOException {
      int c = in.peek();
      long from = in.offset();
      if (c == '"') {
        in.string();
        slot.from = from;
        slot.to = in.offset();
        slot.present = true;
        if (slot.needsText) {
          slot.text = in.lastStringText(from, slot.to);
        }
        return;
      }
      in.skipValue();
      if (c == 'n') {
        return; // null: absent
      }
      e.slow = true;
      if (c != '{' && c != '[') {
        slot.present = true;
        slot.text = asciiText(from, in.offset()); // a number or boolean, as written
      }
    }

    private void capture(Event e, boolean identity) throws IOException {
      if (in.peek() != '{') {
        in.skipValue();
        return;
      }
      in.advance();
      if (in.peek() == '}') {
        in.advance();
        return;
      }
      while (true) {
        int name = in.name(identity ? IDENTITY_NAMES : REQUEST_NAMES);
        int c = in.peek();
        Token slot =
            name < 0 || c == '{' || c == '['
                ? null
                : identity ? e.identity[name] : e.request(REQUEST_NAME_LIST[name]);
        if (slot == null) {
          in.skipValue();
        } else {
          read(slot, e);
        }
        if (!separator('}')) {
          return;
        }
      }
    }

    private String asciiText(long from, long to) {
      byte[] bytes = new byte[(int) (to - from)];
      in.copy(from, to, bytes, 0);
      return new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private void skipRestOfObject() throws IOException {
      while (separator('}')) {
        in.nameText();
        in.skipValue();
      }
    }

    /** Consumes ',' (true: more follows) or {@code close} (false), or fails. */
    private boolean separator(char close) throws IOException {
      int c = in.peek();
      if (c != ',' && c != close) {
        throw in.unexpected("',' or '" + close + "'");
      }
      in.advance();
      return c == ',';
    }

    private void emit(Event e, long opening, long closing, long number) throws IOException {
      Token time =
          e.eventTime.text != null ? e.eventTime : e.shipperTime; // Logstash renames eventTime
      if (time.text == null) {
        context.reject(number, opening, "eventTime is missing");
        return;
      }
      Instant instant = Times.iso(time.text);
      if (instant == null) {
        context.reject(number, opening, "eventTime '" + time.text + "' is not an ISO-8601 instant");
        return;
      }
      String id =
          e.eventId.text != null
              ? e.eventId.text
              : context.ids().positional(LogType.CLOUDTRAIL, context.origin(), number);
      String user = userName(e);
      // Envelopes (an event delivered through CloudWatch Logs) are written by the builder: the slow
      // path.
      if (e.slow || alwaysCopy || context.builder().hasEnvelope()) {
        copy(e, instant, time.text, user, opening, closing);
        context.emit(LogType.CLOUDTRAIL, id);
      } else {
        context.emit(
            LogType.CLOUDTRAIL,
            id,
            instant,
            splice(e, time, instant, user, opening, closing),
            members);
      }
    }

    /**
     * The fast path: the event's own bytes, then the ECS fields spliced from the raw tokens they
     * repeat.
     */
    private RawJsonWriter splice(
        Event e, Token time, Instant instant, String user, long opening, long closing)
        throws IOException {
      out.reset().raw(in, opening, closing);
      if (e.multiline) {
        out.flattenLineBreaks(0);
      }
      // Each spliced top-level member is noted (if wanted), after the event's own.
      spliced(0, e.fields > 0);
      out.bytes(e.fields > 0 ? NEXT_TIMESTAMP : FIRST_TIMESTAMP);
      if (Times.utcText(time.text) != null) {
        out.raw(in, time.from, time.to);
      } else {
        out.string(instant.toString());
      }
      spliced(1, true);
      // event.provider/action/id, cloud.region, cloud.account.id and user_agent.original are field
      // aliases of the CloudTrail mapping (cloudtrail.mappings.json): not written.
      out.bytes(EVENT_KIND);
      out.bytes(!e.errorCode.present ? SUCCESS : FAILURE);
      spliced(2, true);
      out.bytes(CLOUD_AWS);
      AccountDirectory.Account known =
          context.accounts() == null ? null : context.accounts().find(text(e.account));
      if (known != null) {
        out.ascii(",\"account\":{\"name\":").string(known.name()).bytes(CLOSE_OBJECT);
      }
      out.bytes(CLOSE_OBJECT);
      boolean ip = isIp(e.sourceIp);
      if (ip) {
        spliced(3, true);
        out.bytes(SOURCE_IP).raw(in, e.sourceIp.from, e.sourceIp.to);
        if (context.geo() != null) {
          RawGeo.write(out, context.geo().locate(text(e.sourceIp)));
        }
        out.bytes(CLOSE_OBJECT);
      }
      if (user != null) {
        spliced(4, true);
        out.bytes(USER_NAME);
        userValue(e, user);
        out.bytes(CLOSE_OBJECT);
      }
      boolean arn = e.arn.text != null && !e.arn.text.isEmpty() && !e.arn.text.equals(user);
      boolean named = user != null && !user.isEmpty();
      if (ip || named || arn) {
        spliced(6, true);
        out.bytes(RELATED);
        if (ip) {
          out.bytes(RELATED_IPS).raw(in, e.sourceIp.from, e.sourceIp.to).bytes(CLOSE_ARRAY);
        }
        if (named || arn) {
          out.bytes(ip ? NEXT_USERS : FIRST_USERS);
          if (named) {
            userValue(e, user);
          }
          if (arn) {
            out.bytes(named ? COMMA : NOTHING).raw(in, e.arn.from, e.arn.to);
          }
          out.bytes(CLOSE_ARRAY);
        }
        out.bytes(CLOSE_OBJECT);
      }
      if (e.promoted > 0) {
        spliced(7, true);
        out.bytes(AWS_REQUEST);
        for (int i = 0; i < e.promoted; i++) {
          Token t = e.requestTokens[i];
          if (t.present) {
            out.bytes(i == 0 ? t.firstKey : t.nextKey).raw(in, t.from, t.to);
          }
        }
        out.bytes(CLOSE_TWO);
      }
      spliced(8, true);
      out.bytes(vigilFields);
      if (known != null) {
        AccountFields.vigil(out, known);
      }
      return out.bytes(CLOSE_TWO);
    }

    /**
     * Whether a string token is an IP address, tested on its raw bytes (no String per event); only
     * a value with escapes is decoded first.
     */
    private boolean isIp(Token token) throws IOException {
      if (!token.present) {
        return false;
      }
      CharSequence content = in.bytesAsChars(token.from + 1, token.to - 1);
      for (int i = 0; i < content.length(); i++) {
        if (content.charAt(i) == '\\') {
          return JsonCopy.looksLikeIp(text(token));
        }
      }
      return JsonCopy.looksLikeIp(content);
    }

    private void field(byte[] prefix, Token token) {
      if (token.present) {
        out.bytes(prefix).raw(in, token.from, token.to);
      }
    }

    private void userValue(Event e, String user) {
      Token source =
          user.equals(e.userName.text)
              ? e.userName
              : user.equals(e.invokedBy.text) ? e.invokedBy : null;
      if (source != null) {
        out.raw(in, source.from, source.to);
      } else if (user.equals(e.arnTail()) && e.arn.to - e.arn.from == e.arn.text.length() + 2) {
        // A role session name: the end of the ARN, whose raw bytes are plain (no escapes) when
        // lengths agree.
        out.bytes(QUOTE).raw(in, e.arn.to - 1 - user.length(), e.arn.to);
      } else {
        out.string(user);
      }
    }

    /**
     * A token's text: kept when read, else decoded from its raw bytes (only the slow path needs
     * that).
     */
    private String text(Token token) throws IOException {
      if (token.text != null || !token.present) {
        return token.text;
      }
      byte[] bytes = new byte[(int) (token.to - token.from)];
      in.copy(token.from, token.to, bytes, 0);
      try (JsonParser value = ParseContext.JSON.createParser(bytes)) {
        value.nextToken();
        return value.getText();
      }
    }

    /**
     * The slow path: re-reads the event's bytes and copies its fields through the builder, which
     * renames.
     */
    private void copy(
        Event e, Instant instant, String time, String user, long opening, long closing)
        throws IOException {
      DocumentBuilder doc = context.builder();
      doc.start();
      byte[] bytes = new byte[(int) (closing + 1 - opening)];
      in.copy(opening, closing + 1, bytes, 0);
      try (JsonParser event = ParseContext.JSON.createParser(bytes)) {
        event.nextToken();
        while (event.nextToken() == JsonToken.FIELD_NAME) {
          String name = event.currentName();
          event.nextToken();
          doc.copyField(name, event);
        }
      }
      doc.timestamp(instant, Times.utcText(time))
          .event("kind", "event")
          .event("outcome", text(e.errorCode) == null ? "success" : "failure");
      String sourceIp = text(e.sourceIp);
      if (JsonCopy.looksLikeIp(sourceIp)) {
        doc.source(sourceIp, null);
      }
      doc.user(user).relatedUser(e.arn.text).accountOf(text(e.account));
      for (int i = 0; i < e.promoted; i++) {
        doc.promote(e.requestTokens[i].name, text(e.requestTokens[i]));
      }
    }
  }

  /**
   * A wanted value: its text and, for strings, its raw bytes {@code [from, to)} including the
   * quotes.
   */
  private static final class Token {
    final String name;
    String text;
    long from;
    long to;

    final byte[] firstKey;
    final byte[] nextKey;

    /**
     * Whether the Java string is needed (to parse or test it); otherwise only the raw bytes are
     * kept.
     */
    final boolean needsText;

    boolean present;

    Token(String name) {
      this(name, false);
    }

    Token(String name, boolean needsText) {
      this.name = name;
      this.needsText = needsText;
      this.firstKey = ascii("\"" + name + "\":");
      this.nextKey = ascii(",\"" + name + "\":");
    }
  }

  /**
   * The fields of one event the ECS mapping needs, with their raw bytes; reused from event to
   * event.
   */
  private static final class Event {
    final Token eventTime = new Token("eventTime", true);
    final Token shipperTime = new Token("@timestamp", true);
    final Token eventId = new Token("eventID", true);
    final Token eventSource = new Token("eventSource");
    final Token eventName = new Token("eventName");
    final Token errorCode = new Token("errorCode");
    final Token account = new Token("recipientAccountId");
    final Token region = new Token("awsRegion");
    final Token sourceIp = new Token("sourceIPAddress");
    final Token userAgent = new Token("userAgent");
    final Token identityType = new Token("type", true);
    final Token arn = new Token("arn", true);
    final Token userName = new Token("userName", true);
    final Token identityAccount = new Token("accountId");
    final Token invokedBy = new Token("invokedBy", true);

    /** The slots of {@link #TOP_NAMES} before {@link #USER_IDENTITY}, in that order. */
    final Token[] top = {
      eventTime,
      shipperTime,
      eventId,
      eventSource,
      eventName,
      errorCode,
      account,
      region,
      sourceIp,
      userAgent
    };

    /** The slots of {@link #IDENTITY_NAMES}, in that order. */
    final Token[] identity = {identityType, arn, userName, identityAccount, invokedBy};

    final Token[] all =
        Stream.concat(Arrays.stream(top), Arrays.stream(identity)).toArray(Token[]::new);

    final Token[] requestTokens = new Token[PROMOTED_REQUEST_FIELDS.size()];
    int promoted;
    int fields;
    boolean slow;
    boolean multiline;

    Event reset() {
      for (Token token : all) {
        token.text = null;
        token.present = false;
      }
      promoted = 0;
      fields = 0;
      slow = false;
      return this;
    }

    /** What follows the last '/' of the ARN, or null. */
    String arnTail() {
      String text = arn.text;
      int slash = text == null ? -1 : text.lastIndexOf('/');
      return slash < 0 ? null : text.substring(slash + 1);
    }

    /**
     * A slot for a promoted requestParameters field, in order of appearance; null for other fields.
     */
    Token request(String name) {
      if (promoted == requestTokens.length) {
        return null;
      }
      Token token = requestTokens[promoted];
      if (token == null || !token.name.equals(name)) {
        token = requestTokens[promoted] = new Token(name);
      }
      token.text = null;
      token.present = false;
      promoted++;
      return token;
    }
  }

  /**
   * The acting user's short name: the IAM user, the role session, {@code root}, or the invoking
   * service.
   */
  public static String userName(Map<String, String> identity) {
    return userName(
        identity.get("userName"),
        identity.get("type"),
        identity.get("arn"),
        identity.get("invokedBy"));
  }

  private static String userName(Event e) {
    return userName(e.userName.text, e.identityType.text, e.arn.text, e.invokedBy.text);
  }

  private static String userName(String userName, String type, String arn, String invokedBy) {
    if (userName != null) {
      return userName;
    }
    if ("Root".equals(type)) {
      return "root";
    }
    if (arn != null && arn.contains("/")) {
      return arn.substring(arn.lastIndexOf('/') + 1);
    }
    return invokedBy;
  }

  /**
   * Vigil's own fields, the same for every event of the object, encoded once; {@code vigil} and the
   * document are closed after them.
   */
  private static byte[] vigilFields(ParseContext context) {
    RawJsonWriter vigil =
        new RawJsonWriter().ascii(",\"vigil\":{\"log_type\":\"cloudtrail\",\"s3\":{");
    if (context.origin().bucket() != null) {
      vigil.ascii("\"bucket\":").string(context.origin().bucket()).ascii(",");
    }
    // Left open: the account's fields may follow (see splice).
    return vigil.ascii("\"key\":").string(context.origin().key()).ascii("}").toByteArray();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
