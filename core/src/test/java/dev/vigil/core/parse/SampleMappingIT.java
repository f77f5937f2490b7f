package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.LogType;
import dev.vigil.core.TestData;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.testing.RealPartsExtension;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
    RuleAgreementIT.installTemplates(node, List.of(LogType.values()));
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

  /**
   * A value that does not fit its mapped type (a shipper's {@code readOnly: "maybe"}, a {@code
   * creationDate} that is no date) costs neither the document nor the value: the document is
   * indexed, the typed field left out (dates named in {@code _ignored}), and the value as written
   * is found under the field's {@code raw} multi-field.
   */
  @Test
  void valuesThatDoNotFitTheirTypeStaySearchableAsWritten(OpenSearchNode node) throws Exception {
    String odd =
        "{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-11-27T10:00:00Z\",\"eventID\":\"odd-1\","
            + "\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"CreateUser\",\"readOnly\":\"maybe\","
            + "\"userIdentity\":{\"type\":\"AssumedRole\",\"sessionContext\":{\"attributes\":"
            + "{\"creationDate\":\"not-a-date\",\"mfaAuthenticated\":\"false\"}}}}";
    String good =
        odd.replace("odd-1", "good-1")
            .replace("\"maybe\"", "false")
            .replace("not-a-date", "2026-11-27T09:00:00Z");
    CollectingSink sink = new CollectingSink();
    ObjectParser.standard()
        .parse(
            new ByteArrayInputStream(
                ("{\"Records\":[" + odd + "," + good + "]}").getBytes(StandardCharsets.UTF_8)),
            new ObjectRef("b", "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/27/x.json"),
            LogType.CLOUDTRAIL,
            sink);
    assertThat(sink.documents).hasSize(2);
    BulkBody bulk = new BulkBody(1 << 20);
    sink.documents.forEach(bulk::add);
    JsonNode response =
        send(
            node,
            node.request("/_bulk?refresh=true")
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bulk.toByteArray())));
    assertThat(response.path("errors").asBoolean()).as("%s", response).isFalse();

    String index = sink.documents.get(0).index();
    assertThat(ids(node, index, "readOnly.raw:maybe")).containsExactly("odd-1");
    assertThat(
            ids(
                node,
                index,
                "userIdentity.sessionContext.attributes.creationDate.raw:\"not-a-date\""))
        .containsExactly("odd-1");
    assertThat(ids(node, index, "_ignored:\"userIdentity.sessionContext.attributes.creationDate\""))
        .containsExactly("odd-1");
    assertThat(ids(node, index, "_exists_:_ignored")).containsExactly("odd-1");
    // The typed fields still work for the values that fit.
    assertThat(ids(node, index, "readOnly:false")).containsExactly("good-1");
  }

  private static List<String> ids(OpenSearchNode node, String index, String query)
      throws Exception {
    JsonNode hits =
        send(
            node,
            node.request(
                    "/"
                        + index
                        + "/_search?filter_path=hits.hits._id&q="
                        + URLEncoder.encode(query, StandardCharsets.UTF_8))
                .GET());
    List<String> ids = new ArrayList<>();
    hits.at("/hits/hits").forEach(hit -> ids.add(hit.path("_id").asText()));
    return ids;
  }

  private static JsonNode send(OpenSearchNode node, HttpRequest.Builder request)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        node.httpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }
}
