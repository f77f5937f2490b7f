package dev.vigil.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.parts.OpenSearchNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.Refresh;
import org.opensearch.client.opensearch.core.SearchResponse;

@ExtendWith(RealPartsExtension.class)
class OpenSearchSmokeIT {

  @Test
  void indexedDocumentIsFoundBySearch(OpenSearchNode node) throws Exception {
    OpenSearchClient client = node.client();
    client.index(
        i ->
            i.index("smoke-plain")
                .id("evt-1")
                .document(
                    Map.of("eventName", "StopLogging", "eventSource", "cloudtrail.amazonaws.com"))
                .refresh(Refresh.True));

    SearchResponse<Map> found =
        client.search(
            s ->
                s.index("smoke-plain")
                    .query(
                        q ->
                            q.term(
                                t ->
                                    t.field("eventName.keyword")
                                        .value(v -> v.stringValue("StopLogging")))),
            Map.class);

    assertThat(found.hits().hits())
        .singleElement()
        .satisfies(hit -> assertThat(hit.id()).isEqualTo("evt-1"));
    assertThat(client.info().version().number()).isEqualTo(OpenSearchNode.VERSION);
  }

  @Test
  void securedNodeServesTlsAndRejectsAnonymousRequests(@Secured OpenSearchNode node)
      throws Exception {
    assertThat(node.uri().getScheme()).isEqualTo("https");

    HttpResponse<String> anonymous =
        node.httpClient()
            .send(
                HttpRequest.newBuilder(node.uri().resolve("/_cluster/health")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);

    OpenSearchClient client = node.client();
    client.index(
        i -> i.index("smoke-secured").id("a").document(Map.of("k", "v")).refresh(Refresh.True));
    assertThat(client.count(c -> c.index("smoke-secured")).count()).isEqualTo(1);
  }
}
