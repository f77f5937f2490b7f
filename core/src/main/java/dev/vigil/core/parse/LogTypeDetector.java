package dev.vigil.core.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.types.VpcFlowParser;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Tells the log type of an object: first from its S3 key ({@link KeyLayouts}: the standard {@code
 * AWSLogs/<account>/<service>/…} layouts and the usual Firehose prefixes), failing that from the
 * first bytes of its decompressed content.
 */
public final class LogTypeDetector {
  private static final Pattern ALB_LINE =
      Pattern.compile("^(http|https|h2|grpcs|ws|wss) \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
  // Classic Load Balancer: the time comes first, then the name and client:port.
  private static final Pattern CLASSIC_ELB_LINE =
      Pattern.compile(
          "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?Z \\S+ [0-9a-fA-F.:\\[\\]]+:\\d+ ");
  private static final Pattern S3_ACCESS_LINE =
      Pattern.compile(
          "^(?:[0-9a-f]{64}|-) \\S+ \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d [+-]\\d{4}\\] ");

  private LogTypeDetector() {}

  /** From a key in a layout that names the type ({@link KeyLayouts#logType}). */
  public static Optional<LogType> fromKey(String key) {
    return KeyLayouts.logType(key);
  }

  /**
   * The type of an object: from a key in a layout that names it ({@link #fromKey}), else from its
   * content ({@link #fromContent}), else from a word in the key that only hints at it ({@code
   * guardduty}, {@code securityhub}, {@code /waf/}: a Firehose stream of Lambda logs may be named
   * after the GuardDuty responder it serves, so such words must not overrule the content).
   */
  public static Optional<LogType> detect(String key, String head) {
    Optional<LogType> type = fromKey(key);
    if (type.isEmpty() && head != null) {
      type = fromContent(head);
    }
    return type.isPresent() ? type : hintFromKey(key);
  }

  private static Optional<LogType> hintFromKey(String key) {
    if (key == null) {
      return Optional.empty();
    }
    String lower = key.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("/waf/") || lower.startsWith("waf/")) {
      return Optional.of(LogType.WAF);
    }
    if (lower.contains("securityhub") || lower.contains("security-hub")) {
      return Optional.of(LogType.SECURITYHUB);
    }
    if (lower.contains("guardduty")) {
      return Optional.of(LogType.GUARDDUTY);
    }
    return Optional.empty();
  }

  /** From the first few kilobytes of decompressed content. */
  public static Optional<LogType> fromContent(String head) {
    String text = head.stripLeading();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    char first = text.charAt(0);
    if (first == '{' || first == '[') {
      return fromJson(text);
    }
    String firstLine = text.lines().findFirst().orElse("");
    if (VpcFlowParser.looksLikeFlowLog(firstLine)) {
      return Optional.of(LogType.VPCFLOW);
    }
    if (ALB_LINE.matcher(firstLine).find() || CLASSIC_ELB_LINE.matcher(firstLine).find()) {
      return Optional.of(LogType.ALB);
    }
    if (S3_ACCESS_LINE.matcher(firstLine).find()) {
      return Optional.of(LogType.S3ACCESS);
    }
    return Optional.empty();
  }

  /**
   * Tells a JSON type by the keys (and a few values) of the first record: its top-level object, and
   * for wrappers ({@code Records}, {@code findings}, {@code detail}, arrays) the first object
   * inside. Reads only as far as the head goes; a cut-off head is judged on what it shows.
   */
  private static Optional<LogType> fromJson(String text) {
    Shape shape;
    try (JsonParser in = ParseContext.JSON.createParser(text)) {
      shape = Shape.read(in, in.nextToken(), 0);
    } catch (IOException e) {
      return Optional.empty(); // cannot happen for a string; malformed heads are read partially
    }
    return Optional.ofNullable(classify(shape));
  }

  private static LogType classify(Shape shape) {
    if (shape == null) {
      return null;
    }
    if (shape.has("messageType") || shape.has("logEvents") || shape.has("awslogs")) {
      return LogType.CLOUDWATCH;
    }
    String detailType = shape.value("detail-type");
    String source = shape.value("source");
    if ((detailType != null && detailType.startsWith("Security Hub Findings"))
        || "aws.securityhub".equals(source)) {
      return LogType.SECURITYHUB;
    }
    if ("GuardDuty Finding".equals(detailType) || "aws.guardduty".equals(source)) {
      return LogType.GUARDDUTY;
    }
    if (detailType != null) {
      return null; // another kind of EventBridge event
    }
    if (shape.has("findings") || shape.has("Findings") || shape.has("detail")) {
      return classify(shape.inner);
    }
    if (shape.has("SchemaVersion")
        && (shape.has("ProductArn") || shape.has("AwsAccountId") || shape.has("GeneratorId"))) {
      return LogType.SECURITYHUB;
    }
    if (shape.has("schemaVersion")
        && (shape.has("service")
            || contains(shape.value("arn"), ":guardduty:")
            || (shape.has("type") && shape.has("severity")))) {
      return LogType.GUARDDUTY;
    }
    if (shape.has("Records")) {
      // The CloudTrail object layout; S3/SQS/Kinesis event notifications use the same key.
      return shape.inner == null || isCloudTrailEvent(shape.inner) ? LogType.CLOUDTRAIL : null;
    }
    if (shape.has("digestStartTime") || isCloudTrailEvent(shape)) {
      return LogType.CLOUDTRAIL;
    }
    if (shape.has("webaclId") && (shape.has("httpRequest") || shape.has("terminatingRuleId"))) {
      return LogType.WAF;
    }
    if (shape.has("query_name") && shape.has("srcaddr")) {
      return LogType.ROUTE53RESOLVER;
    }
    return null;
  }

  /** A CloudTrail event, not an S3 or other event notification that shares its field names. */
  private static boolean isCloudTrailEvent(Shape shape) {
    if (!shape.has("eventVersion")) {
      return false;
    }
    String eventSource = shape.value("eventSource");
    if (eventSource != null) {
      return eventSource.endsWith(".amazonaws.com");
    }
    return shape.has("userIdentity") || shape.has("eventTime") || shape.has("eventID");
  }

  private static boolean contains(String text, String part) {
    return text != null && text.contains(part);
  }

  /** The field names of one JSON object, its short string values, and the first wrapped object. */
  private static final class Shape {
    private static final java.util.Set<String> WRAPPERS =
        java.util.Set.of("Records", "findings", "Findings", "detail");

    final java.util.Set<String> keys = new java.util.HashSet<>();
    final java.util.Map<String, String> values = new java.util.HashMap<>();
    Shape inner;

    boolean has(String key) {
      return keys.contains(key);
    }

    String value(String key) {
      return values.get(key);
    }

    /** Reads the value starting at {@code token}: an object, or the first object of an array. */
    static Shape read(JsonParser in, JsonToken token, int depth) {
      Shape shape = new Shape();
      try {
        if (token == JsonToken.START_ARRAY) {
          JsonToken first = in.nextToken();
          return first == JsonToken.START_OBJECT && depth < 3 ? read(in, first, depth + 1) : null;
        }
        if (token != JsonToken.START_OBJECT) {
          return null;
        }
        while (in.nextToken() == JsonToken.FIELD_NAME) {
          String name = in.currentName();
          JsonToken value = in.nextToken();
          shape.keys.add(name);
          if (value == JsonToken.VALUE_STRING && in.getTextLength() <= 256) {
            shape.values.put(name, in.getText());
          } else if (WRAPPERS.contains(name)
              && shape.inner == null
              && depth < 3
              && (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY)) {
            shape.inner = read(in, value, depth + 1);
            if (shape.inner == null && value == JsonToken.START_ARRAY) {
              // not an array of objects: the parser stands inside it
              in.skipChildren();
            }
          } else {
            in.skipChildren();
          }
        }
      } catch (IOException e) {
        // the head ends (or breaks) here: judge on what was read
      }
      return shape;
    }
  }
}
