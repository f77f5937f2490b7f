package dev.vigil.ingester.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.parse.IndexNaming;
import dev.vigil.core.parse.IndexTemplates;
import dev.vigil.ingester.config.ConfigCheck;
import dev.vigil.ingester.config.IngesterConfig;
import dev.vigil.ingester.opensearch.BulkTransport;
import dev.vigil.ingester.opensearch.OpenSearchConnection;
import dev.vigil.ingester.support.TestConfigs;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.testing.RealPartsExtension;
import dev.vigil.testing.Secured;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingester's OpenSearch connection against a node with the Security plugin: HTTPS with its own
 * CA and basic auth, the password read from a file as a mounted Secret provides it.
 */
@ExtendWith(RealPartsExtension.class)
class OpenSearchAuthIT {
  private static IngesterConfig config(OpenSearchNode node, Map<String, String> auth) {
    Map<String, String> props = new HashMap<>();
    props.put("vigil.ingester.opensearch.endpoint", node.uri().toString());
    props.putAll(auth);
    IngesterConfig config = TestConfigs.queueMode(props);
    assertThat(ConfigCheck.problems(config)).isEmpty();
    return config;
  }

  private static final byte[] BULK =
      ("{\"index\":{\"_index\":\"authn-cloudtrail-2026.11.27\",\"_id\":\"a\"}}\n"
              + "{\"@timestamp\":\"2026-11-27T10:00:00Z\",\"message\":\"one\"}\n"
              + "{\"index\":{\"_index\":\"authn-cloudtrail-2026.11.27\",\"_id\":\"b\"}}\n"
              + "{\"@timestamp\":\"2026-11-27T10:00:01Z\",\"message\":\"two\"}\n")
          .getBytes(StandardCharsets.UTF_8);

  @Test
  void basicAuthWithPasswordFileAndCustomCaInstallsTemplatesAndIndexes(
      @Secured OpenSearchNode node, @TempDir Path dir) throws Exception {
    Path password = Files.writeString(dir.resolve("password"), node.password() + "\n");
    IngesterConfig config =
        config(
            node,
            Map.of(
                "vigil.ingester.opensearch.auth.type", "basic",
                "vigil.ingester.opensearch.auth.username", node.username(),
                "vigil.ingester.opensearch.auth.password-file", password.toString(),
                "vigil.ingester.opensearch.tls.ca-file", node.caCertificate().toString()));

    try (OpenSearchConnection connection =
        OpenSearchConnection.create(config.opensearch(), config.aws(), 4)) {
      connection.ping(java.time.Duration.ofSeconds(30));
      connection.installTemplates(
          new IndexTemplates(new IndexNaming("authn", IndexNaming.Granularity.DAILY)));
      BulkTransport.Reply reply = connection.bulkTransport().bulk(BULK);

      assertThat(reply.status()).isEqualTo(200);
      assertThat(new String(reply.body(), StandardCharsets.UTF_8)).startsWith("{\"errors\":false");
    }
    HttpResponse<String> template =
        node.httpClient()
            .send(
                node.request("/_index_template/authn-cloudtrail").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(template.statusCode()).isEqualTo(200);
    assertThat(template.body()).contains("authn-cloudtrail-*");
  }

  /**
   * opensearch-java's Apache transport reports 401 as an IOException: the sender keeps the
   * documents and retries (credentials may be rotating), and readiness is DOWN with the reason.
   */
  @Test
  void wrongPasswordKeepsDocumentsWaitingInsteadOfDeadLetteringThem(@Secured OpenSearchNode node)
      throws Exception {
    IngesterConfig config =
        config(
            node,
            Map.of(
                "vigil.ingester.opensearch.auth.type",
                "basic",
                "vigil.ingester.opensearch.auth.username",
                node.username(),
                "vigil.ingester.opensearch.auth.password",
                "not-the-password",
                "vigil.ingester.opensearch.tls.ca-file",
                node.caCertificate().toString()));

    try (OpenSearchConnection connection =
        OpenSearchConnection.create(config.opensearch(), config.aws(), 4)) {
      assertThatThrownBy(() -> connection.bulkTransport().bulk(BULK))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("Unauthorized");
      assertThatThrownBy(() -> connection.ping(java.time.Duration.ofSeconds(30)))
          .hasMessageContaining("Unauthorized");
    }
  }

  @Test
  void certificateOfAnUntrustedCaIsRefused(@Secured OpenSearchNode node) throws Exception {
    IngesterConfig config =
        config(
            node,
            Map.of(
                "vigil.ingester.opensearch.auth.type", "basic",
                "vigil.ingester.opensearch.auth.username", node.username(),
                "vigil.ingester.opensearch.auth.password", node.password()));

    try (OpenSearchConnection connection =
        OpenSearchConnection.create(config.opensearch(), config.aws(), 4)) {
      assertThatThrownBy(() -> connection.ping(java.time.Duration.ofSeconds(30)))
          .isInstanceOf(IOException.class);
    }
  }
}
