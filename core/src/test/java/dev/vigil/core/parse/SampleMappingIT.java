package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.LogType;
import dev.vigil.core.TestData;
import dev.vigil.testing.OpenSearchNode;
import dev.vigil.testing.RealPartsExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sample document of a type, indexed with Vigil's templates into one index of a real
 * OpenSearch, must be accepted: zero mapping errors (the failure SIEM-on-OpenSearch users hit
 * most).
 */
@ExtendWith(RealPartsExtension.class)
class SampleMappingIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<LogType> typesWithSamples() {
    return List.copyOf(Samples.BY_TYPE.keySet());
  }

  @BeforeAll
  static void installTemplates(OpenSearchNode node) throws Exception {
    IndexTemplates templates = new IndexTemplates(IndexNaming.defaults());
    put(node, "/_component_template/" + templates.componentName(), templates.componentTemplate());
    for (LogType type : LogType.values()) {
      put(node, "/_index_template/" + templates.templateName(type), templates.indexTemplate(type));
    }
  }

  @ParameterizedTest
  @MethodSource("typesWithSamples")
  void everySampleDocumentIsIndexedWithoutMappingErrors(LogType type, OpenSearchNode node)
      throws Exception {
    List<ParsedDocument> documents = new ArrayList<>();
    for (Samples.Sample sample : Samples.BY_TYPE.get(type)) {
      CollectingSink sink = new CollectingSink();
      try (InputStream in = Files.newInputStream(TestData.path(sample.path()))) {
        ObjectParser.standard().parse(in, sample.origin(), type, sink);
      }
      assertThat(sink.rejections).as(sample.path()).isEmpty();
      documents.addAll(sink.documents);
    }
    assertThat(documents).as("documents parsed from the %s samples", type).isNotEmpty();

    // One index per type, so documents from every sample meet in one mapping.
    String index = IndexNaming.defaults().pattern(type).replace("*", "mapping-check");
    BulkBody bulk = new BulkBody(1 << 20);
    documents.forEach(
        d -> bulk.add(new ParsedDocument(d.type(), index, d.id(), d.timestamp(), d.source())));
    JsonNode response =
        send(
            node,
            node.request("/_bulk?refresh=true")
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bulk.toByteArray())));

    List<String> errors = new ArrayList<>();
    response
        .path("items")
        .forEach(
            item -> {
              JsonNode result = item.path("index");
              if (result.has("error")) {
                errors.add(result.path("_id").asText() + ": " + result.path("error"));
              }
            });
    assertThat(errors).as("bulk item errors for %s", type).isEmpty();
    long distinctIds = documents.stream().map(ParsedDocument::id).distinct().count();
    JsonNode count = send(node, node.request("/" + index + "/_count").GET());
    assertThat(count.path("count").asLong()).isEqualTo(distinctIds);
    // The template applied: the type's index was created from it, not by dynamic mapping alone.
    JsonNode mapping = send(node, node.request("/" + index + "/_mapping").GET());
    assertThat(
            mapping
                .at("/" + index + "/mappings/properties/vigil/properties/log_type/type")
                .asText())
        .isEqualTo("keyword");
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
