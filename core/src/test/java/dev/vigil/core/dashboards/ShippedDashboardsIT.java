package dev.vigil.core.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.core.LogType;
import dev.vigil.core.TestData;
import dev.vigil.core.geo.GeoEnrichment;
import dev.vigil.core.geo.GeoLocation;
import dev.vigil.core.parse.BulkBody;
import dev.vigil.core.parse.CollectingSink;
import dev.vigil.core.parse.IndexNaming;
import dev.vigil.core.parse.IndexTemplates;
import dev.vigil.core.parse.LogParsers;
import dev.vigil.core.parse.ObjectParser;
import dev.vigil.core.parse.ParsedDocument;
import dev.vigil.core.parse.Samples;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.testing.RealPartsExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shipped Dashboard ({@code samples/dashboards/*.yaml} and {@code samples/dashboard-*.yaml})
 * parses and renders, and the search request behind each of its visualizations and saved searches
 * runs on a real OpenSearch over documents the core parsers made from the shared sample logs: the
 * query parses, every aggregated field exists in the index pattern and is aggregatable (a typo or a
 * {@code flat_object} sub-path would silently give empty charts), no shard fails, and panels
 * without a query of their own show data.
 *
 * <p>Indices are written under the prefix {@code dashcheck} (with Vigil's templates for that
 * prefix), so other tests sharing the node cannot disturb the mappings.
 */
@ExtendWith(RealPartsExtension.class)
class ShippedDashboardsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String PREFIX = "dashcheck";

  /**
   * The samples are parsed as an ingester with a GeoIP database would, so coordinate maps have
   * points: a stand-in database placing every public address on a grid by its first two bytes.
   */
  private static final ObjectParser WITH_GEOIP =
      new ObjectParser(
          IndexNaming.defaults(),
          LogParsers.all(),
          new GeoEnrichment(
              address -> {
                byte[] b = address.getAddress();
                return new GeoLocation(
                    "ZZ", "Sample", null, null, (b[0] & 0xff) % 120 - 60.0, (b[1] & 0xff) - 128.0);
              },
              1000),
          () -> ShippedDashboardsIT.accounts);

  /**
   * The sample logs' accounts, named as the operator's account directory would name them (panels on
   * {@code cloud.account.name} and {@code vigil.account.ou_path} show data); read by a first pass.
   */
  private static volatile dev.vigil.core.ingest.AccountDirectory accounts;

  static List<Path> dashboards() throws IOException {
    Path samples = dev.vigil.testing.RepositoryRoot.find().resolve("samples");
    try (Stream<Path> files = Files.walk(samples)) {
      return files
          .filter(f -> f.toString().endsWith(".yaml"))
          .filter(
              f ->
                  f.getParent().endsWith("dashboards")
                      || f.getFileName().toString().startsWith("dashboard-"))
          .sorted()
          .toList();
    }
  }

  @BeforeAll
  static void indexSampleLogs(OpenSearchNode node) throws Exception {
    IndexTemplates templates =
        new IndexTemplates(new IndexNaming(PREFIX, IndexNaming.Granularity.DAILY));
    put(node, "/_component_template/" + templates.componentName(), templates.componentTemplate());
    for (LogType type : LogType.values()) {
      put(node, "/_index_template/" + templates.templateName(type), templates.indexTemplate(type));
    }
    accounts = sampleAccounts();
    BulkBody bulk = new BulkBody(1 << 20);
    for (var entry : Samples.BY_TYPE.entrySet()) {
      for (Samples.Sample sample : entry.getValue()) {
        CollectingSink sink = new CollectingSink();
        try (InputStream in = Files.newInputStream(TestData.path(sample.path()))) {
          WITH_GEOIP.parse(in, sample.origin(), entry.getKey(), sink);
        }
        for (ParsedDocument d : sink.documents) {
          bulk.add(
              new ParsedDocument(d.type(), isolated(d.index()), d.id(), d.timestamp(), d.source()));
        }
      }
    }
    put(node, "/" + PREFIX + "-alerts", alertsIndex());
    alerts(bulk);
    JsonNode response =
        send(
            node,
            node.request("/_bulk?refresh=true")
                // every sample log of every type into dozens of new daily indices: more than the
                // node's default 30 s on a loaded machine
                .timeout(Duration.ofMinutes(3))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bulk.toByteArray())));
    assertThat(response.path("errors").asBoolean()).as("bulk errors: %s", response).isFalse();
  }

  private static dev.vigil.core.ingest.AccountDirectory sampleAccounts() throws IOException {
    Map<String, dev.vigil.core.ingest.AccountDirectory.Account> named = new java.util.TreeMap<>();
    for (var entry : Samples.BY_TYPE.entrySet()) {
      for (Samples.Sample sample : entry.getValue()) {
        CollectingSink sink = new CollectingSink();
        try (InputStream in = Files.newInputStream(TestData.path(sample.path()))) {
          WITH_GEOIP.parse(in, sample.origin(), entry.getKey(), sink);
        }
        for (JsonNode d : sink.sources()) {
          for (String id :
              List.of(d.at("/cloud/account/id").asText(), d.path("recipientAccountId").asText())) {
            if (!id.isEmpty()) {
              named.put(
                  id,
                  new dev.vigil.core.ingest.AccountDirectory.Account(
                      "sample-" + id, "Root/Workloads", Map.of("env", "sample")));
            }
          }
        }
      }
    }
    return new dev.vigil.core.ingest.AccountDirectory(named, "2026-11-27T00:00:00Z");
  }

  /** The alerts index exactly as the detection engine creates it. */
  private static ObjectNode alertsIndex() {
    return dev.vigil.core.alerts.AlertIndexMapping.body();
  }

  private static void alerts(BulkBody bulk) throws Exception {
    String[][] alerts = {
      {"console-login-failures", "3", "ACTIVE", "2026-11-27T10:00:00Z"},
      {"root-account-usage", "1", "ACKNOWLEDGED", "2026-11-27T11:00:00Z"},
      {"root-account-usage", "1", "COMPLETED", "2026-11-26T09:00:00Z"},
    };
    for (int i = 0; i < alerts.length; i++) {
      ObjectNode doc = JSON.createObjectNode();
      doc.putObject("rule").put("namespace", "vigil").put("name", alerts[i][0]);
      doc.put("severity", Integer.parseInt(alerts[i][1]))
          .put("state", alerts[i][2])
          .put("startTime", alerts[i][3]);
      bulk.add(
          new ParsedDocument(
              null,
              PREFIX + "-alerts",
              "alert-" + i,
              java.time.Instant.parse(alerts[i][3]),
              JSON.writeValueAsBytes(doc)));
    }
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void everyVisualizationAndSearchRunsOnRealOpenSearch(Path file, OpenSearchNode node)
      throws Exception {
    JsonNode manifest = YAML.readTree(file.toFile());
    assertThat(manifest.path("kind").asText()).isEqualTo("Dashboard");
    DashboardDefinition definition = DashboardDefinition.fromSpec(manifest.path("spec"));
    var rendered =
        new DashboardRenderer(
                manifest.path("metadata").path("namespace").asText("default"),
                manifest.path("metadata").path("name").asText())
            .render(definition);
    Map<String, SavedObject> byId =
        rendered.objects().stream().collect(Collectors.toMap(SavedObject::id, Function.identity()));
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (SavedObject object : rendered.objects()) {
      if (!object.type().equals(SavedObject.VISUALIZATION)
          && !object.type().equals(SavedObject.SEARCH)) {
        continue;
      }
      checked++;
      VisualizationRequests.Request request = VisualizationRequests.of(object, byId);
      String pattern = isolated(request.indexPattern());
      String what = object.type() + " '" + object.title() + "'";
      problems.addAll(fieldProblems(node, pattern, request.fields(), what));
      HttpResponse<String> response =
          node.httpClient()
              .send(
                  node.request("/" + pattern + "/_search")
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(request.body().toString()))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(response.body());
      if (response.statusCode() != 200) {
        problems.add(
            what + ": OpenSearch answered " + response.statusCode() + ": " + body.path("error"));
        continue;
      }
      if (body.path("_shards").path("failed").asInt() > 0) {
        problems.add(what + ": shard failures " + body.path("_shards").path("failures"));
      }
      if (!hasOwnQuery(object) && !showsData(body)) {
        problems.add(what + ": no data over the sample logs: " + body.path("aggregations"));
      }
    }
    assertThat(problems).as(file.toString()).isEmpty();
    assertThat(checked).as("visualizations and searches in %s", file).isPositive();
  }

  /** Every aggregated field must be mapped in the pattern's indices and aggregatable. */
  private static List<String> fieldProblems(
      OpenSearchNode node, String pattern, List<String> fields, String what) throws Exception {
    List<String> problems = new ArrayList<>();
    if (fields.isEmpty()) {
      return problems;
    }
    JsonNode caps =
        send(
            node,
            node.request(
                    "/"
                        + pattern
                        + "/_field_caps?fields="
                        + URLEncoder.encode(String.join(",", fields), StandardCharsets.UTF_8))
                .GET());
    for (String field : fields) {
      JsonNode types = caps.path("fields").path(field);
      if (types.isMissingNode() || types.isEmpty()) {
        problems.add(what + ": field " + field + " is not mapped in " + pattern);
        continue;
      }
      types
          .fields()
          .forEachRemaining(
              t -> {
                if (!t.getValue().path("aggregatable").asBoolean()) {
                  problems.add(
                      what + ": field " + field + " (" + t.getKey() + ") is not aggregatable");
                }
              });
    }
    return problems;
  }

  /** The visualization or search adds a query of its own (a saved search or a panel query). */
  private static boolean hasOwnQuery(SavedObject object) throws IOException {
    if (object.attributes().has("savedSearchRefName")) {
      return true;
    }
    JsonNode source =
        JSON.readTree(
            object.attributes().path("kibanaSavedObjectMeta").path("searchSourceJSON").asText());
    return !source.path("query").path("query").asText().isBlank();
  }

  private static boolean showsData(JsonNode body) {
    if (body.path("hits").path("total").path("value").asLong() == 0) {
      return false;
    }
    JsonNode aggs = body.path("aggregations");
    if (aggs.isMissingNode()) {
      return true;
    }
    for (JsonNode agg : aggs) {
      if (agg.has("buckets") && agg.path("buckets").isEmpty()) {
        return false;
      }
      if (agg.has("value") && (agg.path("value").isNull() || agg.path("value").asDouble() == 0)) {
        return false;
      }
    }
    return true;
  }

  private static String isolated(String indexOrPattern) {
    return indexOrPattern.replaceFirst("^vigil-", PREFIX + "-");
  }

  private static void put(OpenSearchNode node, String path, JsonNode body) throws Exception {
    JsonNode response =
        send(
            node,
            node.request(path)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    assertThat(response.path("acknowledged").asBoolean()).as("%s: %s", path, response).isTrue();
  }

  private static JsonNode send(OpenSearchNode node, HttpRequest.Builder request)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        node.httpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }
}
