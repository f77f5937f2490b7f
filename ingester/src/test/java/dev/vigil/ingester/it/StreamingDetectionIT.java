package dev.vigil.ingester.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.alerts.Alert;
import dev.vigil.core.alerts.AlertIndexMapping;
import dev.vigil.core.alerts.AlertLifecycle;
import dev.vigil.core.alerts.EngineSearch;
import dev.vigil.core.alerts.StreamDetector;
import dev.vigil.core.alerts.Trigger;
import dev.vigil.core.alerts.Triggers;
import dev.vigil.ingester.app.Ingester;
import dev.vigil.ingester.support.Objects;
import dev.vigil.ingester.support.TestConfigs;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.testing.RealPartsExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Streaming detection on real parts: an object lands in S3 (moto), the ingester parses it, the
 * sample CloudTrail-tampering rule matches its StopLogging in the stream, and the alert is in
 * {@code vigil-alerts} within seconds — once, however many matching events follow, and a scheduled
 * run over the same events (core's engine logic against the same OpenSearch) raises nothing new.
 */
@ExtendWith(RealPartsExtension.class)
class StreamingDetectionIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Path RULE = Path.of("../samples/detectionrule-cloudtrail-tampering.yaml");

  private Ingester ingester;

  @AfterEach
  void stop() throws Exception {
    if (ingester != null) {
      ingester.close();
    }
  }

  @Test
  void aStopLoggingLandingInS3IsAnAlertWithinSecondsOnceAndTheScheduledRunAgrees(
      MotoServer moto, OpenSearchNode openSearch) throws Exception {
    AwsSetup aws = new AwsSetup(moto, "stream-detect", Duration.ofSeconds(20));
    Map<String, String> props = new HashMap<>(aws.ingesterProperties());
    props.put("vigil.ingester.opensearch.endpoint", openSearch.uri().toString());
    props.put("vigil.ingester.receive.wait-time", "1s");
    props.put("vigil.ingester.bulk.flush-interval", "200ms");
    props.put("vigil.ingester.detection.rules", RULE.toString());
    // Searchable at once for the scheduled run's search below (CloudTrail's own interval is 30 s);
    // the stream's alert does not wait for it either way.
    props.put("vigil.ingester.opensearch.refresh-interval", "1s");
    var config = TestConfigs.from(props);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // Streaming detection as the ingester's composition root wires it from detection.rules.
    ingester = Ingester.create(config, registry, AwsSetup.credentials());
    ingester.startQueues();
    String user = "arn:aws:iam::111122223333:user/stream-" + UUID.randomUUID();

    // In a running system the alert index exists long before (the operator creates it): measure
    // detection, not index creation.
    HttpResponse<String> created =
        node(openSearch, "PUT", "/" + AlertIndexMapping.INDEX, AlertIndexMapping.body());
    assertThat(created.statusCode() < 300 || created.body().contains("already_exists")).isTrue();
    node(
        openSearch,
        "GET",
        "/_cluster/health/" + AlertIndexMapping.INDEX + "?wait_for_status=yellow",
        null);

    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    long landed = System.nanoTime();
    aws.put(key("a"), object(event("GetTrailStatus", user, now), event("StopLogging", user, now)));
    JsonNode alert =
        await()
            .atMost(TIMEOUT)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> alertsOf(openSearch, user), a -> !a.isEmpty())
            .get(0);
    long latencyMillis = (System.nanoTime() - landed) / 1_000_000;
    System.out.printf("stream detection: object landed -> alert written in %d ms%n", latencyMillis);
    assertThat(latencyMillis).as("object landed -> alert written").isLessThan(5_000);
    assertThat(alert.path("source").asText()).isEqualTo("stream");
    assertThat(alert.path("state").asText()).isEqualTo("ACTIVE");
    assertThat(alert.path("severity").asInt()).isEqualTo(1);
    assertThat(alert.path("message").asText())
        .startsWith(user + " called StopLogging on org-trail");

    // More tampering by the same principal: still one alert.
    aws.put(key("b"), object(event("DeleteTrail", user, now)));
    await()
        .atMost(TIMEOUT)
        .until(() -> count(registry, "open") + count(registry, "suppressed") >= 1);
    assertThat(alertsOf(openSearch, user)).hasSize(1);

    // The scheduled engine's run over the same indices finds the stream's alert open: it updates
    // it and creates nothing.
    await()
        .atMost(TIMEOUT)
        .ignoreExceptions() // 503 while the day's index is being created
        .until(() -> documentsOf(openSearch, user) == 3);
    StreamDetector.StreamRule rule =
        StreamDetector.select(
                dev.vigil.core.rules.RuleManifest.read(
                    java.nio.file.Files.readString(RULE), RULE.toString()),
                dev.vigil.core.rules.RuleCompiler.defaults())
            .rules()
            .get(0);
    JsonNode response =
        post(
            openSearch,
            "/" + rule.compiled().indexPattern() + "/_search",
            EngineSearch.body(rule.compiled(), Duration.ofMinutes(15)));
    List<Trigger> mine = new ArrayList<>();
    for (Trigger t : Triggers.evaluate(rule.compiled(), rule.alerts(), response)) {
      if (user.equals(t.key().get("userIdentity.arn"))) {
        mine.add(t);
      }
    }
    List<Alert> open = new ArrayList<>();
    for (JsonNode hit :
        post(
                openSearch,
                "/" + AlertIndexMapping.INDEX + "/_search",
                AlertIndexMapping.openAlertsQuery(
                    rule.alerts().namespace(), rule.alerts().name(), 1000))
            .path("hits")
            .path("hits")) {
      Alert a = JSON.treeToValue(hit.path("_source"), Alert.class);
      if (user.equals(a.key.get("userIdentity.arn"))) {
        open.add(a);
      }
    }
    var plan = AlertLifecycle.afterRun(rule.alerts(), Instant.now(), mine, open, Set.of());
    assertThat(plan.create()).isEmpty();
    assertThat(plan.update())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.id).isEqualTo(alert.path("id").asText());
              assertThat(a.count).isEqualTo(2);
            });
  }

  private static double count(SimpleMeterRegistry registry, String outcome) {
    var c = registry.find("vigil_ingester_stream_alerts_total").tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  private static String key(String name) {
    return Objects.cloudTrailKey(
        "2026/11/27", "20261127T1000Z_stream_" + name + "_" + UUID.randomUUID());
  }

  private static byte[] object(ObjectNode... events) {
    ObjectNode root = JSON.createObjectNode();
    var records = root.putArray("Records");
    for (ObjectNode e : events) {
      records.add(e);
    }
    return Objects.gzip(root.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static ObjectNode event(String name, String user, Instant time) {
    ObjectNode e = JSON.createObjectNode();
    e.put("eventVersion", "1.08");
    e.put("eventTime", time.toString());
    e.put("eventSource", "cloudtrail.amazonaws.com");
    e.put("eventName", name);
    e.put("awsRegion", "eu-west-1");
    e.put("eventID", UUID.randomUUID().toString());
    e.putObject("userIdentity").put("type", "IAMUser").put("arn", user);
    e.putObject("requestParameters").put("name", "org-trail");
    return e;
  }

  private static List<JsonNode> alertsOf(OpenSearchNode node, String user) throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("query").putObject("term").put("key.userIdentity.arn", user);
    JsonNode response =
        post(node, "/" + AlertIndexMapping.INDEX + "/_search?ignore_unavailable=true", body);
    List<JsonNode> out = new ArrayList<>();
    response.path("hits").path("hits").forEach(h -> out.add(h.path("_source")));
    return out;
  }

  private static long documentsOf(OpenSearchNode node, String user) throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("query").putObject("term").put("userIdentity.arn", user);
    return post(node, "/vigil-cloudtrail-*/_count?ignore_unavailable=true", body)
        .path("count")
        .asLong();
  }

  private static JsonNode post(OpenSearchNode node, String path, JsonNode body) throws Exception {
    HttpResponse<String> response = send(node, path, body);
    assertThat(response.statusCode()).as(response.body()).isLessThan(300);
    return JSON.readTree(response.body());
  }

  private static HttpResponse<String> node(
      OpenSearchNode node, String method, String path, JsonNode body) throws Exception {
    return node.httpClient()
        .send(
            node.request(path)
                .header("Content-Type", "application/json")
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> send(OpenSearchNode node, String path, JsonNode body)
      throws Exception {
    return node.httpClient()
        .send(
            node.request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
