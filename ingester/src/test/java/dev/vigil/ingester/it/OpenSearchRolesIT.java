package dev.vigil.ingester.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.alerts.AlertIndexMapping;
import dev.vigil.core.parse.IndexNaming;
import dev.vigil.ingester.support.Objects;
import dev.vigil.ingester.support.SharedTestData;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.parts.RealParts;
import dev.vigil.testing.VigilSecurityRoles;
import dev.vigil.testing.VigilSecurityRoles.User;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The packaged ingester authenticated as the user that {@code deploy/opensearch-security} maps to
 * {@code vigil_ingester}, and nothing else: it installs its templates, indexes what it parses and
 * raises a streaming alert — and the same credentials are refused (403) anywhere outside its
 * prefix. The analyst role reads all of it and changes nothing. Ordered: the ingester creates
 * {@code vigil-alerts} itself (its role must allow that), the later tests only use it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenSearchRolesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = IndexNaming.DEFAULT_PREFIX;
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final Path RULE = Path.of("../samples/detectionrule-cloudtrail-tampering.yaml");

  private static AwsSetup aws;
  private static OpenSearchNode openSearch;
  private static User ingesterUser;
  private static IngesterProcess ingester;

  @BeforeAll
  static void start() throws Exception {
    MotoServer moto = RealParts.moto();
    openSearch = RealParts.securedOpenSearch();
    ingesterUser = VigilSecurityRoles.ingester(openSearch);
    admin("DELETE", "/" + AlertIndexMapping.INDEX + "?ignore_unavailable=true");
    Path password = Files.createTempFile("vigil-ingester-password", "");
    password.toFile().deleteOnExit();
    Files.writeString(password, ingesterUser.password() + "\n");
    aws = new AwsSetup(moto, "osroles", Duration.ofSeconds(30));
    Map<String, String> props = new HashMap<>(aws.ingesterProperties());
    props.put("vigil.ingester.opensearch.endpoint", openSearch.uri().toString());
    props.put("vigil.ingester.opensearch.auth.type", "basic");
    props.put("vigil.ingester.opensearch.auth.username", ingesterUser.name());
    props.put("vigil.ingester.opensearch.auth.password-file", password.toString());
    props.put("vigil.ingester.opensearch.tls.ca-file", openSearch.caCertificate().toString());
    props.put("vigil.ingester.index-prefix", PREFIX);
    props.put("vigil.ingester.detection.rules", RULE.toAbsolutePath().toString());
    props.put("vigil.ingester.receive.wait-time", "1s");
    props.put("vigil.ingester.bulk.flush-interval", "200ms");
    ingester = IngesterProcess.start("ingester-osroles", props, "-Xmx256m").awaitReady(TIMEOUT);
  }

  @AfterAll
  static void stop() {
    if (ingester != null) {
      ingester.terminate(Duration.ofSeconds(20));
    }
  }

  @Test
  @Order(1)
  void withOnlyItsRoleTheIngesterInstallsTemplatesIndexesEverythingAndRaisesTheStreamAlert()
      throws Exception {
    // Templates are PUT at start-up, before readiness.
    HttpResponse<String> template = admin("GET", "/_index_template/" + PREFIX + "-cloudtrail");
    assertThat(template.statusCode()).as(template.body()).isEqualTo(200);

    String key = Objects.cloudTrailKey("2026/11/27", "20261127T1005Z_osroles_" + UUID.randomUUID());
    byte[] object =
        Objects.gzip(
            SharedTestData.bytes("centralized-logging-with-opensearch/cloudtrail/cloudtrail.log"));
    aws.put(key, object);
    Map<String, JsonNode> expected = Documents.expected(PREFIX, aws.bucket, key, object);
    assertThat(expected).hasSize(4);
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> ofKey(key).size() >= expected.size());
    assertThat(ofKey(key)).isEqualTo(expected);

    // The streaming detection creates vigil-alerts, looks for open alerts and writes one.
    String user = "arn:aws:iam::111122223333:user/osroles-" + UUID.randomUUID();
    aws.put(
        Objects.cloudTrailKey("2026/11/27", "20261127T1010Z_osroles_" + UUID.randomUUID()),
        Objects.gzip(stopLogging(user).getBytes(StandardCharsets.UTF_8)));
    JsonNode alert =
        await()
            .atMost(TIMEOUT)
            .pollInterval(Duration.ofMillis(500))
            .until(() -> alertOf(user), a -> a != null);
    assertThat(alert.path("source").asText()).isEqualTo("stream");

    assertThat(
            ingester.metric(
                "vigil_ingester_objects_total", "type=\"cloudtrail\"", "outcome=\"indexed\""))
        .isEqualTo(2);
    assertThat(ingester.metric("vigil_ingester_dead_letters_total")).isZero();
    assertThat(ingester.metric("vigil_ingester_records_failed_total")).isZero();
    assertThat(ingester.logText()).doesNotContain("security_exception");
  }

  @Test
  @Order(2)
  void theIngestersCredentialsAreRefusedOutsideItsPrefix() throws Exception {
    String bulk =
        "{\"index\":{\"_index\":\"elsewhere-cloudtrail-2026.11.27\",\"_id\":\"x\"}}\n"
            + "{\"@timestamp\":\"2026-11-27T10:00:00Z\"}\n"
            + "{\"index\":{\"_index\":\""
            + PREFIX
            + "-cloudtrail-2026.11.27\",\"_id\":\"osroles-inside\"}}\n"
            + "{\"@timestamp\":\"2026-11-27T10:00:00Z\"}\n";
    HttpResponse<String> response = as(ingesterUser, "POST", "/_bulk", bulk);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode items = JSON.readTree(response.body()).path("items");
    assertThat(items.get(0).path("index").path("status").asInt()).isEqualTo(403);
    assertThat(items.get(0).path("index").path("error").path("type").asText())
        .isEqualTo("security_exception");
    assertThat(items.get(1).path("index").path("status").asInt()).isIn(200, 201);

    assertThat(as(ingesterUser, "PUT", "/elsewhere/_doc/1", "{}").statusCode()).isEqualTo(403);
    assertThat(as(ingesterUser, "PUT", "/elsewhere", "{}").statusCode()).isEqualTo(403);
    // Inside its prefix it may create and write, not delete or read back (only alerts).
    assertThat(
            as(ingesterUser, "DELETE", "/" + PREFIX + "-cloudtrail-2026.11.27", null).statusCode())
        .isEqualTo(403);
    assertThat(
            as(
                    ingesterUser,
                    "DELETE",
                    "/" + PREFIX + "-cloudtrail-2026.11.27/_doc/osroles-inside",
                    null)
                .statusCode())
        .isEqualTo(403);
    assertThat(as(ingesterUser, "POST", "/" + PREFIX + "-cloudtrail-*/_search", "{}").statusCode())
        .isEqualTo(403);
    assertThat(admin("HEAD", "/elsewhere").statusCode()).isEqualTo(404);
  }

  @Test
  @Order(3)
  void theAnalystReadsVigilIndicesAndAlertsAndChangesNothing() throws Exception {
    User analyst = VigilSecurityRoles.analyst(openSearch);
    admin("PUT", "/elsewhere-analyst/_doc/1?refresh=true", "{\"secret\":true}");
    String inside = PREFIX + "-cloudtrail-2026.11.28";
    admin("PUT", "/" + inside + "/_doc/analyst?refresh=true", "{\"eventName\":\"Look\"}");

    HttpResponse<String> search =
        as(
            analyst,
            "POST",
            "/" + PREFIX + "-*/_search",
            "{\"query\":{\"ids\":{\"values\":[\"analyst\"]}}}");
    assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
    assertThat(JSON.readTree(search.body()).path("hits").path("total").path("value").asInt())
        .isEqualTo(1);
    assertThat(as(analyst, "POST", "/" + AlertIndexMapping.INDEX + "/_search", "{}").statusCode())
        .isEqualTo(200);
    assertThat(as(analyst, "GET", "/" + PREFIX + "-*/_field_caps?fields=*", null).statusCode())
        .isEqualTo(200);

    assertThat(as(analyst, "PUT", "/" + inside + "/_doc/2", "{}").statusCode()).isEqualTo(403);
    assertThat(as(analyst, "DELETE", "/" + inside + "/_doc/analyst", null).statusCode())
        .isEqualTo(403);
    assertThat(
            as(analyst, "PUT", "/" + AlertIndexMapping.INDEX + "/_doc/forged", "{}").statusCode())
        .isEqualTo(403);
    assertThat(as(analyst, "DELETE", "/" + inside, null).statusCode()).isEqualTo(403);
    assertThat(as(analyst, "POST", "/elsewhere-analyst/_search", "{}").statusCode()).isEqualTo(403);
  }

  private static Map<String, JsonNode> ofKey(String key) {
    return Documents.all(openSearch, PREFIX + "-cloudtrail-*", true).entrySet().stream()
        .filter(e -> key.equals(e.getValue().path("vigil").path("s3").path("key").asText()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  private static JsonNode alertOf(String user) throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("query").putObject("term").put("key.userIdentity.arn", user);
    HttpResponse<String> response =
        admin(
            "POST",
            "/" + AlertIndexMapping.INDEX + "/_search?ignore_unavailable=true",
            body.toString());
    JsonNode hits = JSON.readTree(response.body()).path("hits").path("hits");
    return hits.isEmpty() ? null : hits.get(0).path("_source");
  }

  private static String stopLogging(String user) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode e = root.putArray("Records").addObject();
    e.put("eventVersion", "1.08");
    e.put("eventTime", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    e.put("eventSource", "cloudtrail.amazonaws.com");
    e.put("eventName", "StopLogging");
    e.put("awsRegion", "eu-west-1");
    e.put("eventID", UUID.randomUUID().toString());
    e.putObject("userIdentity").put("type", "IAMUser").put("arn", user);
    e.putObject("requestParameters").put("name", "org-trail");
    return root.toString();
  }

  private static HttpResponse<String> as(User user, String method, String path, String body) {
    return VigilSecurityRoles.send(openSearch, user, method, path, body);
  }

  private static HttpResponse<String> admin(String method, String path) throws Exception {
    return admin(method, path, null);
  }

  private static HttpResponse<String> admin(String method, String path, String body)
      throws Exception {
    return openSearch
        .httpClient()
        .send(
            openSearch
                .request(path)
                .header("Content-Type", "application/json")
                .method(
                    method,
                    body == null
                        ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
