package dev.vigil.ingester.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.alerts.Alert;
import dev.vigil.core.alerts.AlertIndexMapping;
import dev.vigil.core.alerts.AlertState;
import dev.vigil.ingester.config.IngesterConfig;
import dev.vigil.ingester.detect.OpenSearchAlertStore;
import dev.vigil.ingester.opensearch.OpenSearchConnection;
import dev.vigil.ingester.support.TestConfigs;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.testing.RealPartsExtension;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The stream's lookup of an open alert, on a real node: by rule and key, however many other open
 * alerts the rule has (an alert storm gives a rule hundreds, one per principal).
 */
@ExtendWith(RealPartsExtension.class)
class OpenSearchAlertStoreIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void anOpenAlertIsFoundByItsWholeKeyAmongMoreOpenAlertsOfItsRuleThanOneSearchPageHolds(
      OpenSearchNode node) throws Exception {
    String rule = "store-" + UUID.randomUUID();
    try (OpenSearchConnection connection = connect(node)) {
      OpenSearchAlertStore store = new OpenSearchAlertStore(connection);
      // 150 open alerts of the rule for other principals, indexed before the one looked up.
      StringBuilder bulk = new StringBuilder();
      for (int i = 0; i < 150; i++) {
        Alert other = alert(rule, "arn:aws:iam::111122223333:user/other-" + i, "10.0.0." + i);
        bulk.append("{\"create\":{\"_index\":\"")
            .append(AlertIndexMapping.INDEX)
            .append("\",\"_id\":\"")
            .append(other.id)
            .append("\"}}\n")
            .append(JSON.writeValueAsString(other))
            .append('\n');
      }
      assertThat(store.hasOpen(alert(rule, "arn:aws:iam::111122223333:user/x", "10.0.0.1")))
          .isFalse(); // creates the index
      HttpResponse<String> indexed =
          node.httpClient()
              .send(
                  node.request("/_bulk?refresh=true")
                      .header("Content-Type", "application/x-ndjson")
                      .POST(HttpRequest.BodyPublishers.ofString(bulk.toString()))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(indexed.body()).as(indexed.body()).contains("\"errors\":false");

      String mallory = "arn:aws:iam::111122223333:user/mallory";
      assertThat(store.create(alert(rule, mallory, "198.51.100.7"))).isTrue();
      Alert closed = alert(rule, "arn:aws:iam::111122223333:user/gone", "198.51.100.8");
      closed.state = AlertState.COMPLETED;
      assertThat(store.create(closed)).isTrue();
      assertThat(store.create(alert(rule, "arn:aws:iam::111122223333:user/blank", ""))).isTrue();
      // Created alerts are searchable after the index's next refresh; the test does not wait for
      // it.
      node.httpClient()
          .send(
              node.request("/" + AlertIndexMapping.INDEX + "/_refresh")
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.discarding());

      assertThat(store.hasOpen(alert(rule, mallory, "198.51.100.7"))).isTrue();
      // Same rule, one key value differs (or only begins the same): not this key's alert.
      assertThat(store.hasOpen(alert(rule, mallory, "198.51.100.70"))).isFalse();
      assertThat(store.hasOpen(alert(rule, mallory + "x", "198.51.100.7"))).isFalse();
      assertThat(store.hasOpen(alert("other-" + rule, mallory, "198.51.100.7"))).isFalse();
      // Completed alerts are not open.
      assertThat(store.hasOpen(alert(rule, "arn:aws:iam::111122223333:user/gone", "198.51.100.8")))
          .isFalse();
      // An empty key value (the document had no such field) is compared, not searched.
      assertThat(store.hasOpen(alert(rule, "arn:aws:iam::111122223333:user/blank", ""))).isTrue();
      assertThat(store.hasOpen(alert(rule, "arn:aws:iam::111122223333:user/blank", "198.51.100.9")))
          .isFalse();
      assertThat(store.hasOpen(alert(rule, "arn:aws:iam::111122223333:user/other-149", "")))
          .isFalse();
      assertThat(
              store.hasOpen(alert(rule, "arn:aws:iam::111122223333:user/other-149", "10.0.0.149")))
          .isTrue();
    }
  }

  private static Alert alert(String rule, String arn, String ip) {
    Alert alert = new Alert();
    alert.id = UUID.randomUUID().toString();
    alert.timestamp = Instant.now().toString();
    alert.startTime = alert.timestamp;
    alert.lastSeenTime = alert.timestamp;
    alert.rule.namespace = "vigil";
    alert.rule.name = rule;
    alert.severity = 3;
    alert.state = AlertState.ACTIVE;
    Map<String, String> key = new LinkedHashMap<>();
    key.put("userIdentity.arn", arn);
    key.put("sourceIPAddress", ip);
    alert.key = key;
    alert.count = 1;
    alert.source = "stream";
    return alert;
  }

  private static OpenSearchConnection connect(OpenSearchNode node) {
    IngesterConfig config =
        TestConfigs.queueMode(Map.of("vigil.ingester.opensearch.endpoint", node.uri().toString()));
    return OpenSearchConnection.create(config.opensearch(), config.aws(), 2);
  }
}
