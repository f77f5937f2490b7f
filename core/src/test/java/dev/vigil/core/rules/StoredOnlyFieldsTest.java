package dev.vigil.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.LogType;
import dev.vigil.core.TestData;
import dev.vigil.core.parse.IndexNaming;
import dev.vigil.core.parse.IndexTemplates;
import dev.vigil.core.parse.LayoutQueries;
import dev.vigil.testing.RepositoryRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Which CloudTrail fields the index keeps stored only ({@code index: false}, no doc values; a
 * free-form block {@code enabled: false}) is derived from what Vigil ships: exactly the fields of
 * {@code cloudtrail.mappings.json} that no shipped rule (query, post-filter, groupBy), no shipped
 * Dashboard request, no documented analyst query ({@link LayoutQueries#ANALYST}) and no convertible
 * SigmaHQ CloudTrail rule reads. A query that starts reading a stored-only field fails this test
 * naming the field, and so does a field nothing reads any more that is still indexed.
 */
class StoredOnlyFieldsTest {
  private static final FieldTypes TYPES = FieldTypes.of(LogType.CLOUDTRAIL);
  private static final JsonNode OWN =
      new IndexTemplates(IndexNaming.defaults())
          .indexTemplate(LogType.CLOUDTRAIL)
          .path("template")
          .path("mappings")
          .path("properties");

  @Test
  void exactlyTheCloudTrailFieldsNoShippedQueryReadsAreStoredOnly() throws Exception {
    Map<String, String> readBy = new TreeMap<>();
    for (LayoutQueries.Query query : shippedQueries()) {
      if (!covers(query.indexPattern())) {
        continue;
      }
      for (String path : reads(query.body())) {
        String field = ownField(TYPES.resolve(path));
        if (field != null) {
          readBy.putIfAbsent(field, query.name());
        }
      }
    }
    TreeSet<String> own = new TreeSet<>();
    TreeSet<String> storedOnly = new TreeSet<>();
    leaves(OWN, "", own, storedOnly);
    TreeSet<String> unread = new TreeSet<>(own);
    unread.removeAll(readBy.keySet());
    System.out.println("CloudTrail fields no shipped query reads: " + unread);
    TreeSet<String> readButStoredOnly = new TreeSet<>(storedOnly);
    readButStoredOnly.retainAll(readBy.keySet());
    assertThat(readButStoredOnly.stream().map(f -> f + " (read by " + readBy.get(f) + ")"))
        .as("stored-only CloudTrail fields a shipped query reads")
        .isEmpty();
    assertThat(storedOnly)
        .as("stored-only CloudTrail fields (index: false) = the fields no shipped query reads")
        .isEqualTo(unread);
    assertThat(readBy).as("the derivation read queries").containsKeys("eventName", "eventSource");
  }

  /**
   * Doc values (the column OpenSearch aggregates and sorts by) are off on identifiers and the
   * {@code raw} multi-fields; no shipped query may aggregate, group, count first-seen values of or
   * sort by such a field (OpenSearch would fail the search). Rules and dashboards are refused when
   * read (RuleCompilerTest, PromotedFieldsTest); this holds the analyst queries and the Sigma
   * pack's {@code count() by} to it too. Turning doc values off on the other fields no shipped
   * query aggregates was measured and did not pay (docs/performance.md, third pass).
   */
  @Test
  void noShippedQueryAggregatesACloudTrailFieldWithoutDocValues() throws Exception {
    Map<String, String> columnOf = new TreeMap<>();
    for (LayoutQueries.Query query : shippedQueries()) {
      if (!covers(query.indexPattern())) {
        continue;
      }
      for (String path : columns(query.body())) {
        columnOf.putIfAbsent(path, query.name());
      }
    }
    assertThat(
            columnOf.entrySet().stream()
                .filter(e -> !TYPES.hasDocValues(e.getKey()))
                .map(e -> e.getKey() + " (aggregated by " + e.getValue() + ")"))
        .as("fields without doc values a shipped query aggregates or sorts by")
        .isEmpty();
    assertThat(columnOf)
        .as("the derivation read aggregations")
        .containsKeys("eventName", "userIdentity.arn", "@timestamp");
    assertThat(TYPES.hasDocValues("event.id")).isFalse();
  }

  /** The fields a search body aggregates (groupBy, first-seen keys, dashboards) or sorts by. */
  private static List<String> columns(JsonNode body) {
    List<String> out = new ArrayList<>();
    fieldsNamed(body.path("aggs"), out);
    fieldsNamed(body.path("aggregations"), out);
    fieldsNamed(body.path("sort"), out);
    body.path("sort").forEach(s -> s.fieldNames().forEachRemaining(out::add));
    return out;
  }

  /** Every dotted path a search body reads: its query's fields and its aggregations' and sort's. */
  private static List<String> reads(JsonNode body) {
    List<String> out = new ArrayList<>();
    FieldReader reader = new FieldReader();
    if (body.has("query")) {
      PreparedQuery.prepare(body.get("query"), TYPES, reader);
    }
    for (int id = 0; id < reader.size(); id++) {
      out.add(reader.path(id));
    }
    fieldsNamed(body.path("aggs"), out);
    fieldsNamed(body.path("aggregations"), out);
    fieldsNamed(body.path("sort"), out);
    body.path("sort").forEach(s -> s.fieldNames().forEachRemaining(out::add));
    return out;
  }

  private static void fieldsNamed(JsonNode node, List<String> out) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e -> {
                if (e.getKey().equals("field") && e.getValue().isTextual()) {
                  out.add(e.getValue().asText());
                } else {
                  fieldsNamed(e.getValue(), out);
                }
              });
    } else if (node.isArray()) {
      node.forEach(n -> fieldsNamed(n, out));
    }
  }

  /**
   * The field of the CloudTrail mapping a path reads: the mapped leaf (or flat_object) it is or
   * lies below ({@code readOnly.raw} reads {@code readOnly}), or null for ECS and dynamic fields.
   */
  private static String ownField(String path) {
    JsonNode properties = OWN;
    StringBuilder field = new StringBuilder();
    for (String part : path.split("\\.")) {
      JsonNode mapping = properties.get(part);
      if (mapping == null) {
        return null;
      }
      field.append(field.length() == 0 ? "" : ".").append(part);
      if (!mapping.has("properties")) {
        return mapping.path("type").asText().equals("alias") ? null : field.toString();
      }
      properties = mapping.path("properties");
    }
    return null;
  }

  private static void leaves(
      JsonNode properties, String prefix, TreeSet<String> own, TreeSet<String> storedOnly) {
    properties
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode mapping = e.getValue();
              String path = prefix + e.getKey();
              if (mapping.has("properties")) {
                leaves(mapping.path("properties"), path + ".", own, storedOnly);
              } else if (!mapping.path("type").asText().equals("alias")) {
                own.add(path);
                if (!mapping.path("index").asBoolean(true)
                    || !mapping.path("enabled").asBoolean(true)) {
                  storedOnly.add(path);
                }
              }
            });
  }

  private static boolean covers(String pattern) {
    for (String glob : pattern.split(",")) {
      if ("vigil-cloudtrail-2026.12.06"
          .matches(glob.trim().replace(".", "\\.").replace("*", ".*"))) {
        return true;
      }
    }
    return false;
  }

  private static List<LayoutQueries.Query> shippedQueries() throws Exception {
    Path samples = RepositoryRoot.find().resolve("samples");
    List<LayoutQueries.Query> out = new ArrayList<>(LayoutQueries.ANALYST);
    out.addAll(LayoutQueries.rules(samples));
    out.addAll(LayoutQueries.dashboards(samples));
    try (Stream<Path> files = Files.list(TestData.path("sigmahq-sigma/rules/cloudtrail"))) {
      for (Path f : files.sorted().toList()) {
        try {
          CompiledRule rule =
              RuleCompiler.defaults()
                  .compile(RuleSource.sigma(f.getFileName().toString(), Files.readString(f)));
          com.fasterxml.jackson.databind.node.ObjectNode body =
              new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
          body.set("query", rule.query());
          if (rule.searchBody().has("aggs")) { // a count() by: a groupBy
            body.set("aggs", rule.searchBody().get("aggs"));
          }
          out.add(new LayoutQueries.Query("sigma " + f.getFileName(), rule.indexPattern(), body));
        } catch (RuleException e) {
          // Not convertible (SigmaCorpusTest pins which ones and why) — unless it reads a
          // stored-only field, which is what this test is about.
          assertThat(e.getMessage()).as("sigma %s", f.getFileName()).doesNotContain("stored only");
        }
      }
    }
    return out;
  }
}
