package dev.vigil.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.IndexNaming;
import dev.vigil.core.parse.PromotedFields;
import dev.vigil.core.rules.FieldTypes.Kind;
import dev.vigil.core.rules.sigma.SigmaConverter;
import dev.vigil.core.rules.sigma.SigmaRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Compiles a {@link RuleSource} to its one executable {@link CompiledRule}. */
public final class RuleCompiler {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The longest {@code firstSeen.history}: every run of the rule searches all of it. */
  public static final Duration MAX_HISTORY = Duration.ofDays(90);

  private final IndexNaming naming;

  public RuleCompiler(IndexNaming naming) {
    this.naming = naming;
  }

  public static RuleCompiler defaults() {
    return new RuleCompiler(IndexNaming.defaults());
  }

  public CompiledRule compile(RuleSource rule) {
    List<String> set = new ArrayList<>();
    if (rule.query() != null) {
      set.add("query");
    }
    if (rule.dsl() != null && !rule.dsl().isNull()) {
      set.add("dsl");
    }
    if (rule.sigma() != null) {
      set.add("sigma");
    }
    if (set.size() != 1) {
      throw new RuleException(
          "set exactly one of query, dsl or sigma"
              + (set.isEmpty() ? " (none is set)" : " (set: " + String.join(", ", set) + ")"));
    }
    LogType logType = null;
    if (rule.logType() != null) {
      logType =
          LogType.fromId(rule.logType())
              .orElseThrow(
                  () ->
                      new RuleException(
                          "logType: unknown log type '"
                              + rule.logType()
                              + "' (known: "
                              + Arrays.stream(LogType.values())
                                  .map(LogType::id)
                                  .collect(Collectors.joining(", "))
                              + ")"));
    }
    ObjectNode query;
    Attribution attribution = null;
    RuleSource.Threshold condition = rule.condition();
    if (rule.query() != null) {
      LuceneQuery.parse(rule.query());
      query = NODES.objectNode();
      query
          .putObject("query_string")
          .put("query", rule.query())
          .put("analyze_wildcard", true)
          .put("allow_leading_wildcard", true);
    } else if (rule.dsl() != null && !rule.dsl().isNull()) {
      query = dsl(rule.dsl());
    } else {
      SigmaRule sigma =
          new SigmaConverter(rule.indexPattern() != null && logType == null).convert(rule.sigma());
      query = sigma.query();
      attribution = sigma.attribution();
      if (logType == null && rule.indexPattern() == null) {
        logType = sigma.logType();
      }
      if (sigma.condition() != null) {
        if (condition != null) {
          throw new RuleException(
              "condition: the Sigma rule already counts (count() in its condition); remove one");
        }
        condition = sigma.condition();
      }
    }
    if (logType == null && rule.indexPattern() == null) {
      throw new RuleException(
          "set logType or indexPattern: the rule does not say which logs to read");
    }
    String pattern = rule.indexPattern() != null ? rule.indexPattern() : naming.pattern(logType);
    if (pattern.isBlank() || pattern.contains(" ") || pattern.contains(",")) {
      throw new RuleException("indexPattern: '" + pattern + "' is not one index pattern");
    }
    Duration interval =
        Durations.parse(
            rule.interval() == null ? RuleDefinition.DEFAULT_INTERVAL : rule.interval(),
            "interval");
    Duration window = interval;
    if (condition != null) {
      if (condition.threshold() < 0) {
        throw new RuleException("condition.threshold: must be 0 or more");
      }
      window = Durations.parse(condition.window(), "condition.window");
      FieldTypes types = logType == null ? FieldTypes.unknown() : FieldTypes.of(logType);
      for (String field : condition.groupBy()) {
        checkGroupable("condition.groupBy", field, types, logType);
      }
    }
    FirstSeenCondition firstSeen = null;
    if (rule.firstSeen() != null) {
      if (condition != null) {
        throw new RuleException(
            "firstSeen: a first-seen rule alerts on new values, not on a count: remove the"
                + " condition"
                + (rule.sigma() != null ? " (the Sigma rule's count())" : ""));
      }
      if (rule.firstSeen().fields().isEmpty()) {
        throw new RuleException("firstSeen.fields: name at least one field");
      }
      FieldTypes types = logType == null ? FieldTypes.unknown() : FieldTypes.of(logType);
      for (String field : rule.firstSeen().fields()) {
        checkGroupable("firstSeen.fields", field, types, logType);
      }
      Duration history = Durations.parse(rule.firstSeen().history(), "firstSeen.history");
      if (history.isZero() || history.compareTo(MAX_HISTORY) > 0) {
        throw new RuleException(
            "firstSeen.history: must be more than 0 and at most "
                + MAX_HISTORY.toDays()
                + "d (each run searches it), not "
                + rule.firstSeen().history());
      }
      firstSeen = new FirstSeenCondition(rule.firstSeen().fields(), history);
    }
    PostFilter.Split split = PostFilter.split(query);
    if (logType != null) {
      checkSearchable(split.nativeQuery(), FieldTypes.of(logType), logType);
    }
    if (split.postFilter() != null && firstSeen != null) {
      throw new RuleException(
          "firstSeen: the rule compares two fields (fieldref / "
              + PostFilter.FIELD_EQUALS
              + "), which runs after OpenSearch on each hit, so OpenSearch cannot tell which"
              + " values are new; remove firstSeen or the comparison");
    }
    if (split.postFilter() != null && condition != null) {
      throw new RuleException(
          "condition: the rule compares two fields (fieldref / "
              + PostFilter.FIELD_EQUALS
              + "), which runs after OpenSearch on each hit, so OpenSearch cannot count its"
              + " matches; such a rule alerts on every match (remove the condition)");
    }
    return new CompiledRule(
        rule.name(),
        logType,
        pattern,
        split.nativeQuery(),
        condition,
        window,
        attribution,
        split.postFilter(),
        firstSeen);
  }

  /**
   * Refuses a query on a field the log type keeps stored only: OpenSearch would fail every search
   * of the rule ("Cannot search on field … since it is not indexed"). A query the evaluator cannot
   * prepare is left to the checks that know why.
   */
  private static void checkSearchable(JsonNode query, FieldTypes types, LogType logType) {
    FieldReader reader = new FieldReader();
    try {
      PreparedQuery.prepare(query, types, reader);
    } catch (RuleException e) {
      return;
    }
    for (int id = 0; id < reader.size(); id++) {
      String field = reader.path(id);
      if (!types.searchable(field)) {
        throw new RuleException(
            "query: "
                + field
                + " is stored only in "
                + logType.id()
                + " indices (in each document's _source, not searchable; docs/performance.md,"
                + " stored-only fields): search it with a derived field or index it");
      }
    }
  }

  private static void checkGroupable(String at, String field, FieldTypes types, LogType logType) {
    if (!types.searchable(field)) {
      throw new RuleException(
          at
              + ": "
              + field
              + " is stored only in "
              + logType.id()
              + " indices, which OpenSearch cannot aggregate (docs/performance.md, stored-only"
              + " fields)");
    }
    FieldTypes.FieldType type = types.type(field);
    if (type.kind() == Kind.FLAT_SUBPATH || type.kind() == Kind.FLAT_OBJECT) {
      throw new RuleException(at + ": " + PromotedFields.refusal(logType, field, type.flatRoot()));
    }
    if (!types.hasDocValues(field)) {
      throw new RuleException(at + ": " + FieldTypes.noDocValues(field, logType));
    }
    if (type.kind() == Kind.TEXT) {
      throw new RuleException(
          at + ": " + field + " is analyzed text, which OpenSearch cannot aggregate");
    }
  }

  private static ObjectNode dsl(JsonNode dsl) {
    if (!dsl.isObject()) {
      throw new RuleException(
          "dsl: must be a JSON object (an OpenSearch query), not " + dsl.getNodeType());
    }
    if (dsl.size() != 1) {
      throw new RuleException(
          "dsl: must hold exactly one query type (e.g. {\"bool\": {...}}), found "
              + dsl.size()
              + " keys");
    }
    if (dsl.has("query")) {
      throw new RuleException(
          "dsl: give the query itself, not a search body: remove the outer \"query\" key");
    }
    return (ObjectNode) dsl.deepCopy();
  }
}
