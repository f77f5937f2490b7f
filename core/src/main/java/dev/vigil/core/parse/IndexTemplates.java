package dev.vigil.core.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.LogType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * OpenSearch index templates for Vigil's indices: a component template {@code <prefix>-ecs} with
 * the common ECS and Vigil fields, and one composable index template per log type ({@code
 * <prefix>-<type>-*}) with that type's fields. Free-form blobs whose shape varies between records
 * (CloudTrail {@code requestParameters}, ASFF {@code Details}, …) are {@code flat_object}, which
 * cannot hit a mapping conflict; the sub-fields rules group by are promoted to regular fields by
 * the parsers. Mappings live in {@code templates/<type>.mappings.json} next to this class.
 */
public final class IndexTemplates {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Replicas of a log index by default ({@code index.auto_expand_replicas}): one once the cluster
   * has a second data node, none on a single node (whose indices would otherwise stay yellow for a
   * replica that can never be allocated). Losing a data node then loses no acknowledged document.
   */
  public static final String DEFAULT_REPLICAS = "0-1";

  /** What a replicas setting may be: a count, or a range {@code min-max} (max may be "all"). */
  public static final java.util.regex.Pattern REPLICAS =
      java.util.regex.Pattern.compile("\\d{1,3}(-(\\d{1,3}|all))?");

  /**
   * What a refresh interval may be: a whole number of milliseconds, seconds, minutes or hours, or
   * -1 (refresh only when asked).
   */
  public static final java.util.regex.Pattern REFRESH_INTERVAL =
      java.util.regex.Pattern.compile("-1|\\d{1,6}(ms|s|m|h)");

  private final IndexNaming naming;
  private final String replicas;
  private final String refreshInterval;

  public IndexTemplates(IndexNaming naming) {
    this(naming, DEFAULT_REPLICAS);
  }

  public IndexTemplates(IndexNaming naming, String replicas) {
    this(naming, replicas, null);
  }

  /**
   * @param replicas replicas of each log index: a count ({@code index.number_of_replicas}) or a
   *     range that follows the data nodes ({@code index.auto_expand_replicas}, e.g. "0-1")
   * @param refreshInterval {@code index.refresh_interval} of every log index, e.g. "1s"; null for
   *     each log type's own ({@link #refreshInterval(LogType)})
   */
  public IndexTemplates(IndexNaming naming, String replicas, String refreshInterval) {
    replicasProblem(replicas)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException("replicas " + problem);
            });
    if (refreshInterval != null) {
      refreshIntervalProblem(refreshInterval)
          .ifPresent(
              problem -> {
                throw new IllegalArgumentException("refresh interval " + problem);
              });
    }
    this.naming = naming;
    this.replicas = replicas;
    this.refreshInterval = refreshInterval;
  }

  /** What is wrong with a replicas setting, if anything. */
  public static Optional<String> replicasProblem(String replicas) {
    return REPLICAS.matcher(replicas).matches()
        ? Optional.empty()
        : Optional.of("must be a count or a range such as 0-1 or 1-all, is '" + replicas + "'");
  }

  /** What is wrong with a refresh interval, if anything. */
  public static Optional<String> refreshIntervalProblem(String interval) {
    return REFRESH_INTERVAL.matcher(interval).matches()
        ? Optional.empty()
        : Optional.of("must be a duration such as 500ms, 1s or 5m, or -1, is '" + interval + "'");
  }

  public String componentName() {
    return naming.prefix() + "-ecs";
  }

  public String templateName(LogType type) {
    return naming.prefix() + "-" + type.id();
  }

  /** Body of {@code PUT _component_template/<componentName()>}. */
  public ObjectNode componentTemplate() {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("template").set("mappings", mappings("ecs"));
    body.putObject("_meta").put("managed-by", "vigil");
    return body;
  }

  /** Body of {@code PUT _index_template/<templateName(type)>}. */
  public ObjectNode indexTemplate(LogType type) {
    return template(type, naming.pattern(type));
  }

  /**
   * The template of a type's latest-state index ({@link IndexNaming#latest}), for types that {@link
   * LogType#keepsLatestState() keep one}: named like the index.
   */
  public String latestTemplateName(LogType type) {
    return naming.latest(type);
  }

  /**
   * Body of {@code PUT _index_template/<latestTemplateName(type)>}: the type's own mappings and
   * settings (a latest-state document is the type's document), for that one index.
   */
  public ObjectNode latestIndexTemplate(LogType type) {
    ObjectNode body = template(type, naming.latest(type));
    ((ObjectNode) body.get("_meta")).put("latest_state", true);
    return body;
  }

  private ObjectNode template(LogType type, String indexPattern) {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("index_patterns").add(indexPattern);
    body.putArray("composed_of").add(componentName());
    body.put("priority", 200);
    ObjectNode template = body.putObject("template");
    ObjectNode settings = template.putObject("settings");
    if (replicas.contains("-")) {
      settings.put("index.auto_expand_replicas", replicas);
    } else {
      settings.put("index.number_of_replicas", Integer.parseInt(replicas));
    }
    settings
        .put("index.mapping.total_fields.limit", 2000)
        .put("index.mapping.ignore_malformed", true)
        .put("index.codec", CODEC)
        .put(
            "index.refresh_interval",
            refreshInterval != null ? refreshInterval : refreshInterval(type));
    ObjectNode mappings = mappings(type.id());
    if (VALUES_AS_WRITTEN.contains(type)) {
      addRawValues(mappings.path("properties"));
    }
    template.set("mappings", mappings);
    body.putObject("_meta").put("managed-by", "vigil").put("log_type", type.id());
    return body;
  }

  /**
   * Stored fields (each document's {@code _source}) compressed with DEFLATE instead of LZ4: the
   * largest part of a log index on disk, written once and read only for the hits shown.
   */
  static final String CODEC = "best_compression";

  /**
   * How soon an indexed document becomes searchable. Each refresh writes a small segment that
   * merges then rewrite, so a longer interval is cheaper; low-latency detection is the streaming
   * engine's job (it sees every document before it is indexed), and scheduled every-match rules
   * look back their interval plus the late-arrival margin (15 minutes by default), so they miss
   * nothing. Set from how late each source delivers anyway: CloudTrail 5–15 minutes, VPC Flow Logs
   * and WAF through Firehose at least one buffer interval (60 s or more); findings are few and
   * triaged by people, so they are visible sooner.
   */
  static String refreshInterval(LogType type) {
    return switch (type) {
      case CLOUDTRAIL, CLOUDWATCH -> "30s";
      case VPCFLOW, WAF, ALB, S3ACCESS, ROUTE53RESOLVER -> "60s";
      case GUARDDUTY, SECURITYHUB -> "5s";
    };
  }

  /**
   * The multi-field of every typed field (date, number, boolean, ip) of a log's own JSON that keeps
   * the value as written, searchable, when it does not fit the type: OpenSearch then leaves the
   * typed field out ({@code ignore_malformed}; for dates, numbers and addresses it names the field
   * in the document's {@code _ignored}), so {@code readOnly.raw:maybe} or {@code
   * creationDate.raw:"not-a-date"} still finds the document. Only indexed (no doc values): for
   * finding odd values, not for aggregating.
   */
  public static final String RAW = "raw";

  private static final Set<String> TYPED =
      Set.of(
          "date",
          "date_nanos",
          "boolean",
          "long",
          "integer",
          "short",
          "byte",
          "double",
          "float",
          "half_float",
          "scaled_float",
          "ip");

  /**
   * Types whose documents carry the log's own JSON values as written, unchecked (the text formats'
   * parsers type every value themselves and reject what does not fit).
   */
  private static final Set<LogType> VALUES_AS_WRITTEN =
      EnumSet.of(
          LogType.CLOUDTRAIL,
          LogType.CLOUDWATCH,
          LogType.WAF,
          LogType.SECURITYHUB,
          LogType.GUARDDUTY,
          LogType.ROUTE53RESOLVER);

  private static void addRawValues(JsonNode properties) {
    properties
        .fields()
        .forEachRemaining(
            field -> {
              ObjectNode mapping = (ObjectNode) field.getValue();
              if (mapping.has("properties")) {
                addRawValues(mapping.get("properties"));
              } else if (TYPED.contains(mapping.path("type").asText())
                  && !mapping.has("fields")
                  && mapping.path("index").asBoolean(true)) { // stored only: nothing to search
                mapping
                    .putObject("fields")
                    .putObject(RAW)
                    .put("type", "keyword")
                    .put("ignore_above", 1024)
                    .put("doc_values", false);
              }
            });
  }

  private static ObjectNode mappings(String name) {
    String resource = "/dev/vigil/core/templates/" + name + ".mappings.json";
    try (InputStream in = IndexTemplates.class.getResourceAsStream(resource)) {
      if (in == null) {
        return JSON.createObjectNode();
      }
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
