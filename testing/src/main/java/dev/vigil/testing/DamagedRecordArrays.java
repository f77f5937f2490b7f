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
 * A seeded corpus of damaged arrays of records inside root values — Security Hub findings in
 * EventBridge events' {@code detail.findings} (concatenated, as Firehose writes them), ASFF {@code
 * {"Findings":[…]}} and GuardDuty {@code {"findings":[…]}} objects one per line, and CloudWatch
 * Logs subscription payloads' {@code logEvents} (concatenated, as Firehose writes them) — with
 * syntax errors inside records, stray elements that are no record, garbage between records and
 * truncation.
 *
 * <p>As in {@link DamagedCloudTrail}, the generator remembers the bytes it wrote for each record,
 * so the records that survived intact are told by reading those bytes alone with Jackson ({@link
 * Corpus#wellFormedIds}), independently of the parser under test. Damage that leaves a complete
 * record where none was written (no reader can tell it from one) is drawn again.
 *
 * <p>Record shapes follow the AWS documentation: ASFF's required attributes
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html), the
 * Security Hub EventBridge event
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-cwe-event-formats.html),
 * GuardDuty's finding format
 * (https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings-format.html) and the
 * CloudWatch Logs subscription payload
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html).
 */
public final class DamagedRecordArrays {
  private static final ObjectMapper STRICT =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final ObjectMapper PREFIX = new ObjectMapper();

  /** Which array of records, in which roots. */
  public enum Container {
    /** Security Hub EventBridge events, back to back, each with {@code detail.findings[]}. */
    SECURITY_HUB_EVENTBRIDGE("\"Id\"", ""),
    /** {@code {"Findings":[…]}} objects (BatchImportFindings' body), one per line. */
    ASFF_FINDINGS("\"Id\"", "\n"),
    /** {@code {"findings":[…]}} objects of GuardDuty findings, one per line. */
    GUARDDUTY_FINDINGS("\"id\"", "\n"),
    /** CloudWatch Logs subscription payloads, back to back, each with {@code logEvents[]}. */
    CLOUDWATCH_LOG_EVENTS("\"id\"", "");

    private final String idField;
    private final String rootSeparator;

    Container(String idField, String rootSeparator) {
      this.idField = idField;
      this.rootSeparator = rootSeparator;
    }

    /** The field of a record (and of its document) holding the record's id. */
    public String idField() {
      return idField.substring(1, idField.length() - 1);
    }

    String open(int root, Instant time) {
      return switch (this) {
        case SECURITY_HUB_EVENTBRIDGE ->
            "{\"version\":\"0\",\"id\":\"0b6a3a1e-0000-4000-8000-"
                + String.format("%012d", root)
                + "\",\"detail-type\":\"Security Hub Findings - Imported\","
                + "\"source\":\"aws.securityhub\",\"account\":\"111122223333\",\"time\":\""
                + time
                + "\",\"region\":\"us-east-1\",\"resources\":[],\"detail\":{\"findings\":[";
        case ASFF_FINDINGS -> "{\"Findings\":[";
        case GUARDDUTY_FINDINGS -> "{\"findings\":[";
        case CLOUDWATCH_LOG_EVENTS ->
            "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"111122223333\","
                + "\"logGroup\":\"/aws/app/orders\",\"logStream\":\"stream-"
                + root
                + "\",\"subscriptionFilters\":[\"to-firehose\"],\"logEvents\":[";
      };
    }

    String close() {
      return this == SECURITY_HUB_EVENTBRIDGE ? "]}}" : "]}";
    }

    String record(SplittableRandom random, int i, Instant time) {
      return switch (this) {
        case SECURITY_HUB_EVENTBRIDGE, ASFF_FINDINGS -> asff(random, i, time);
        case GUARDDUTY_FINDINGS -> guardDuty(random, i, time);
        case CLOUDWATCH_LOG_EVENTS -> logEvent(random, i, time);
      };
    }

    /**
     * Whether an object read where no record was written would still make a document: a log event
     * without its id does (it gets a positional one), a finding must be sound.
     */
    boolean makesADocument(JsonNode node) {
      return this == CLOUDWATCH_LOG_EVENTS
          ? node.path("timestamp").isIntegralNumber() && node.path("message").isTextual()
          : isRecord(node);
    }

    /** Whether an object is a record the parser should index: its required fields are sound. */
    boolean isRecord(JsonNode node) {
      return switch (this) {
        case SECURITY_HUB_EVENTBRIDGE, ASFF_FINDINGS ->
            nonEmptyText(node, "Id")
                && nonEmptyText(node, "ProductArn")
                && nonEmptyText(node, "AwsAccountId")
                && isTime(node.get("UpdatedAt"));
        case GUARDDUTY_FINDINGS ->
            nonEmptyText(node, "id")
                && nonEmptyText(node, "type")
                && isTime(node.get("updatedAt"))
                && node.path("severity").isNumber();
        case CLOUDWATCH_LOG_EVENTS ->
            nonEmptyText(node, "id")
                && node.path("timestamp").isIntegralNumber()
                && node.path("message").isTextual();
      };
    }
  }

  /** What was done to the input. */
  public enum Damage {
    SYNTAX_ERROR,
    STRAY_ELEMENT,
    GARBAGE_BETWEEN,
    TRUNCATION
  }

  /**
   * The object's bytes, each record's bytes as written (cut short when the object was), and how
   * often each damage was applied.
   */
  public record Corpus(
      Container container, byte[] bytes, List<Written> records, Map<Damage, Integer> damages) {
    /** The ids of the records whose written bytes are, on their own, exactly one sound record. */
    public Set<String> wellFormedIds() {
      Set<String> ids = new LinkedHashSet<>();
      for (Written record : records) {
        JsonNode node = wellFormed(container, record.bytes());
        if (node != null) {
          ids.add(node.get(container.idField()).textValue());
        }
      }
      return ids;
    }

    /** The records whose written bytes are not a well-formed record. */
    public List<Written> damagedRecords() {
      return records.stream().filter(r -> wellFormed(container, r.bytes()) == null).toList();
    }
  }

  /** One record's bytes as they stand in the object, from {@code offset} on. */
  public record Written(long offset, byte[] bytes) {}

  private DamagedRecordArrays() {}

  /**
   * {@code roots} roots of {@code perRoot} records each; about one in {@code every} records gets a
   * damage, and with {@code truncate} the object ends inside one of its last records.
   */
  public static Corpus generate(
      long seed, Container container, int roots, int perRoot, int every, boolean truncate) {
    for (long attempt = seed; ; attempt += 1_000_003) {
      Corpus corpus = draw(attempt, container, roots, perRoot, every, truncate);
      if (!holdsAPhantom(corpus)) {
        return corpus;
      }
    }
  }

  private static Corpus draw(
      long seed, Container container, int roots, int perRoot, int every, boolean truncate) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<Damage, Integer> damages = new EnumMap<>(Damage.class);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<long[]> ranges = new ArrayList<>();
    Instant start = Instant.parse("2026-11-27T10:00:00Z");
    int n = 0;
    for (int root = 0; root < roots; root++) {
      if (root > 0) {
        ByteDamage.write(out, container.rootSeparator);
      }
      ByteDamage.write(out, container.open(root, start.plusSeconds(root)));
      for (int i = 0; i < perRoot; i++, n++) {
        if (i > 0) {
          ByteDamage.write(out, ",");
        }
        if (random.nextInt(every) == 0) {
          ByteDamage.write(out, stray(random) + ",");
          count(damages, Damage.STRAY_ELEMENT);
        }
        byte[] record =
            container.record(random, n, start.plusMillis(n * 37L)).getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(every) == 0) {
          record =
              ByteDamage.syntaxError(
                  random, record, d -> !isJson(d) && !holdsARecord(container, d));
          count(damages, Damage.SYNTAX_ERROR);
        }
        ranges.add(new long[] {out.size(), out.size() + record.length});
        out.writeBytes(record);
        if (random.nextInt(every) == 0) {
          ByteDamage.write(out, ByteDamage.garbage(random));
          count(damages, Damage.GARBAGE_BETWEEN);
        }
      }
      ByteDamage.write(out, container.close());
    }
    ByteDamage.write(out, "\n");
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
    return new Corpus(container, bytes, written, damages);
  }

  private static String asff(SplittableRandom random, int i, Instant time) {
    String account = "111122223333";
    String id =
        "arn:aws:securityhub:us-east-1:"
            + account
            + ":subscription/aws-foundational-security-best-practices/v/1.0.0/EC2.19/finding/"
            + String.format("%08x-%04d", random.nextInt(), i);
    String[] labels = {"LOW", "MEDIUM", "HIGH", "CRITICAL"};
    return "{\"SchemaVersion\":\"2018-10-08\",\"Id\":\""
        + id
        + "\",\"ProductArn\":\"arn:aws:securityhub:us-east-1::product/aws/securityhub\","
        + "\"GeneratorId\":\"security-control/EC2.19\",\"AwsAccountId\":\""
        + account
        + "\",\"Types\":[\"Software and Configuration Checks/Industry and Regulatory Standards\"],"
        + "\"CreatedAt\":\""
        + time
        + "\",\"UpdatedAt\":\""
        + time
        + "\",\"Severity\":{\"Label\":\""
        + labels[random.nextInt(labels.length)]
        + "\"},\"Title\":\"Security groups should not allow unrestricted access {"
        + i
        + "}\",\"Description\":\"Checks \\\"0.0.0.0/0\\\" rules, [ports] and {ranges}\","
        + "\"Resources\":[{\"Type\":\"AwsEc2SecurityGroup\",\"Id\":\"arn:aws:ec2:us-east-1:"
        + account
        + ":security-group/sg-"
        + String.format("%08x", random.nextInt())
        + "\",\"Region\":\"us-east-1\"}],\"Compliance\":{\"Status\":\"FAILED\"},"
        + "\"RecordState\":\"ACTIVE\",\"Workflow\":{\"Status\":\"NEW\"}}";
  }

  private static String guardDuty(SplittableRandom random, int i, Instant time) {
    String id = String.format("%08x%04d", random.nextInt(), i);
    return "{\"schemaVersion\":\"2.0\",\"accountId\":\"111122223333\",\"region\":\"us-east-1\","
        + "\"partition\":\"aws\",\"id\":\""
        + id
        + "\",\"arn\":\"arn:aws:guardduty:us-east-1:111122223333:detector/d1/finding/"
        + id
        + "\",\"type\":\"Recon:EC2/PortProbeUnprotectedPort\",\"resource\":{\"resourceType\":"
        + "\"Instance\",\"instanceDetails\":{\"instanceId\":\"i-"
        + String.format("%08x", random.nextInt())
        + "\",\"tags\":[{\"key\":\"Name\",\"value\":\"web {"
        + i
        + "}\"}]}},\"service\":{\"serviceName\":\"guardduty\",\"count\":"
        + (1 + random.nextInt(9))
        + "},\"severity\":"
        + (1 + random.nextInt(8))
        + ",\"createdAt\":\""
        + time
        + "\",\"updatedAt\":\""
        + time
        + "\",\"title\":\"Unprotected port on EC2 instance is being probed.\","
        + "\"description\":\"Port 22 is being probed by \\\"198.51.100.7\\\" [known scanner]\"}";
  }

  private static String logEvent(SplittableRandom random, int i, Instant time) {
    StringBuilder id = new StringBuilder();
    for (int d = 0; d < 56; d++) {
      id.append((char) ('0' + random.nextInt(10)));
    }
    id.replace(50, 56, String.format("%06d", i));
    return "{\"id\":\""
        + id
        + "\",\"timestamp\":"
        + time.toEpochMilli()
        + ",\"message\":\"order "
        + i
        + " placed: {\\\"sku\\\":[1,2],\\\"total\\\":"
        + random.nextInt(1000)
        + "} ok\"}";
  }

  /**
   * Whether damage and its surroundings together read as a record that was not written: a brace
   * outside the well-formed records that starts a complete object with a record's identifying that
   * makes a document. No reader can tell that from a record.
   */
  private static boolean holdsAPhantom(Corpus corpus) {
    byte[] bytes = corpus.bytes();
    boolean[] inside = new boolean[bytes.length];
    for (Written record : corpus.records()) {
      if (wellFormed(corpus.container(), record.bytes()) != null) {
        Arrays.fill(
            inside, (int) record.offset(), (int) record.offset() + record.bytes().length, true);
      }
    }
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '{' && !inside[i] && startsARecord(corpus.container(), bytes, i)) {
        return true;
      }
    }
    return false;
  }

  /** A valid JSON value that is no record, as an element of the array. */
  private static String stray(SplittableRandom random) {
    String[] values = {
      "\"not a record\"",
      "42",
      "null",
      "true",
      "[1,{\"a\":2}]",
      "{\"note\":\"no record\"}",
      "-0.5e3"
    };
    return values[random.nextInt(values.length)];
  }

  private static boolean holdsARecord(Container container, byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '{' && startsARecord(container, bytes, i)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a complete object that makes a document starts at {@code at}. */
  private static boolean startsARecord(Container container, byte[] bytes, int at) {
    try (JsonParser parser = PREFIX.createParser(bytes, at, bytes.length - at)) {
      JsonNode node = PREFIX.readTree(parser);
      return node != null && node.isObject() && container.makesADocument(node);
    } catch (IOException notAnObject) {
      return false;
    }
  }

  private static boolean isJson(byte[] bytes) {
    try {
      STRICT.readTree(bytes);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The record when {@code bytes} are exactly one sound record, else null. */
  static JsonNode wellFormed(Container container, byte[] bytes) {
    try {
      JsonNode node = STRICT.readTree(bytes);
      return node != null && node.isObject() && container.isRecord(node) ? node : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean nonEmptyText(JsonNode node, String field) {
    return node.path(field).isTextual() && !node.path(field).textValue().isEmpty();
  }

  private static boolean isTime(JsonNode value) {
    if (value == null || !value.isTextual()) {
      return false;
    }
    try {
      Instant.parse(value.textValue());
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static void count(Map<Damage, Integer> damages, Damage damage) {
    damages.merge(damage, 1, Integer::sum);
  }
}
