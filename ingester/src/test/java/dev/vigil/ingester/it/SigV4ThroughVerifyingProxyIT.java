package dev.vigil.ingester.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.alerts.Alert;
import dev.vigil.core.alerts.AlertIndexMapping;
import dev.vigil.core.alerts.AlertState;
import dev.vigil.core.parse.IndexNaming;
import dev.vigil.core.parse.IndexTemplates;
import dev.vigil.ingester.config.ConfigCheck;
import dev.vigil.ingester.config.IngesterConfig;
import dev.vigil.ingester.detect.OpenSearchAlertStore;
import dev.vigil.ingester.opensearch.BulkTransport;
import dev.vigil.ingester.opensearch.OpenSearchConnection;
import dev.vigil.ingester.support.TestConfigs;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.parts.RealParts;
import dev.vigil.testing.SigV4Keys;
import dev.vigil.testing.SigV4VerifyingProxy;
import dev.vigil.testing.StsWitness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleWithWebIdentityCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;

/**
 * The ingester's SigV4 connection (opensearch-java's {@code AwsSdk2Transport}, signed by the AWS
 * SDK) against the real OpenSearch behind {@link SigV4VerifyingProxy}, which recomputes every
 * signature with the SDK's signer as Amazon OpenSearch Service would: templates, {@code _bulk}, the
 * streaming detection's alert reads and writes (an encoded id in the path, {@code ?} params),
 * searches over index patterns with {@code *} and {@code ,}, and the readiness probe all pass; a
 * wrong secret is refused with Amazon's message; IRSA sessions issued by the emulator's STS (the
 * proxy learns them from STS's answers, never from the test) rotate while bulk requests keep
 * passing. The ingester calls no plugin API (the operator's IT covers those).
 */
class SigV4ThroughVerifyingProxyIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REGION = "eu-west-1";
  private static final AwsCredentials USER =
      AwsBasicCredentials.create("AKIAVIGILINGESTER001", "ingester-test-secret/0123456789");

  private final OpenSearchNode node = RealParts.openSearch();
  private SigV4VerifyingProxy proxy;
  private StsWitness sts;

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (sts != null) {
      sts.close();
    }
  }

  @Test
  void templatesBulkAlertsSearchesAndProbesPassWithBodiesAndEncodedPathsAndQueries(
      @TempDir Path dir) throws Exception {
    proxy = SigV4VerifyingProxy.start(node.uri(), REGION, "es", SigV4Keys.of(USER), dir);
    String index = "vigil-sigv4-" + UUID.randomUUID().toString().substring(0, 8);
    String user = "arn:aws:iam::111122223333:user/sigv4 ingester";

    try (OpenSearchConnection connection = connect(StaticCredentialsProvider.create(USER))) {
      connection.ping(Duration.ofSeconds(30));
      connection.installTemplates(new IndexTemplates(IndexNaming.defaults()));
      BulkTransport.Reply bulk =
          connection
              .bulkTransport()
              .bulk(
                  ("{\"index\":{\"_index\":\""
                          + index
                          + "\",\"_id\":\"1\"}}\n{\"user\":\""
                          + user
                          + "\"}\n{\"index\":{\"_index\":\""
                          + index
                          + "\",\"_id\":\"2\"}}\n{\"user\":\"someone else\"}\n")
                      .getBytes(StandardCharsets.UTF_8));
      assertThat(bulk.status()).isEqualTo(200);
      assertThat(new String(bulk.body(), StandardCharsets.UTF_8)).contains("\"errors\":false");
      assertThat(connection.request("POST", "/" + index + "/_refresh", Map.of(), null).status())
          .isEqualTo(200);

      BulkTransport.Reply search =
          connection.request(
              "POST",
              "/vigil-sigv4-*,vigil-nothing-*/_search",
              Map.of("ignore_unavailable", "true", "q", "user:\"" + user + "\"", "size", "5"),
              "{\"track_total_hits\":true}".getBytes(StandardCharsets.UTF_8));
      assertThat(search.status())
          .as(new String(search.body(), StandardCharsets.UTF_8))
          .isEqualTo(200);
      JsonNode hits = JSON.readTree(search.body()).path("hits");
      assertThat(hits.at("/total/value").asInt()).isEqualTo(1);

      OpenSearchAlertStore alerts = new OpenSearchAlertStore(connection);
      Alert alert = alert("sigv4:" + index + "/key with spaces");
      assertThat(alerts.create(alert)).isTrue();
      // Searchable after the index's next refresh (the store does not force one).
      connection.request("POST", "/" + AlertIndexMapping.INDEX + "/_refresh", Map.of(), null);
      assertThat(alerts.hasOpen(alert)).isTrue();
      assertThat(alerts.create(alert)).isFalse(); // 409: the same id, through the same signing
    }

    List<SigV4VerifyingProxy.Verdict> verdicts = proxy.verdicts();
    assertThat(verdicts).allMatch(SigV4VerifyingProxy.Verdict::accepted);
    assertThat(verdicts)
        .extracting(SigV4VerifyingProxy.Verdict::target)
        .anyMatch(t -> t.startsWith("/_index_template/"))
        .anyMatch(t -> t.startsWith("/_bulk?filter_path="))
        .anyMatch(t -> t.startsWith("/vigil-sigv4-*,vigil-nothing-*/_search?"))
        .anyMatch(t -> t.contains("/_create/") && t.contains("%"));
  }

  @Test
  void aWrongSecretIsRefusedAndTheBulkReplyCarriesAmazonsMessageForTheSenderToRetry(
      @TempDir Path dir) throws Exception {
    proxy = SigV4VerifyingProxy.start(node.uri(), REGION, "es", SigV4Keys.of(USER), dir);
    try (OpenSearchConnection connection =
        connect(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(USER.accessKeyId(), "not-the-secret")))) {
      BulkTransport.Reply reply =
          connection
              .bulkTransport()
              .bulk(
                  "{\"index\":{\"_index\":\"vigil-sigv4-refused\"}}\n{\"a\":1}\n"
                      .getBytes(StandardCharsets.UTF_8));

      assertThat(reply.status()).isEqualTo(403);
      assertThat(new String(reply.body(), StandardCharsets.UTF_8))
          .contains(
              "The request signature we calculated does not match the signature you provided");
    }
    assertThat(proxy.verdicts()).noneMatch(SigV4VerifyingProxy.Verdict::accepted);
  }

  @Test
  void irsaSessionsTheProxyLearnsFromTheEmulatorsStsAnswersRotateEvery12sWhileBulkRequestsPass(
      @TempDir Path dir) throws Exception {
    sts = StsWitness.start(RealParts.moto().endpoint());
    proxy = SigV4VerifyingProxy.start(node.uri(), REGION, "es", sts, dir);
    Path token = Files.writeString(dir.resolve("token"), "eyJ-projected-service-account-token");
    String index = "vigil-sigv4-rotation-" + UUID.randomUUID().toString().substring(0, 8);
    AtomicInteger sent = new AtomicInteger();

    try (StsClient stsClient =
            StsClient.builder()
                .endpointOverride(sts.uri())
                .region(Region.of(REGION))
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .build();
        OpenSearchConnection connection = connect(webIdentity(stsClient, token))) {
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                int n = sent.incrementAndGet();
                BulkTransport.Reply reply =
                    connection
                        .bulkTransport()
                        .bulk(
                            ("{\"index\":{\"_index\":\""
                                    + index
                                    + "\",\"_id\":\""
                                    + n
                                    + "\"}}\n"
                                    + "{\"n\":"
                                    + n
                                    + "}\n")
                                .getBytes(StandardCharsets.UTF_8));
                assertThat(reply.status())
                    .as(new String(reply.body(), StandardCharsets.UTF_8))
                    .isEqualTo(200);
                return sts.issued().size() >= 3;
              });
      connection.request("POST", "/" + index + "/_refresh", Map.of(), null);
      BulkTransport.Reply count =
          connection.request("GET", "/" + index + "/_count", Map.of(), null);
      assertThat(JSON.readTree(count.body()).path("count").asInt()).isEqualTo(sent.get());
    }

    List<SigV4VerifyingProxy.Verdict> verdicts = proxy.verdicts();
    assertThat(verdicts).allMatch(SigV4VerifyingProxy.Verdict::accepted);
    Set<String> used =
        verdicts.stream().map(SigV4VerifyingProxy.Verdict::accessKeyId).collect(Collectors.toSet());
    assertThat(used).hasSizeGreaterThanOrEqualTo(3);
  }

  /**
   * IRSA credentials as the SDK's default chain builds them on EKS (a web-identity provider that
   * reads the token file at every refresh), with 12-second sessions instead of the role's hour
   * (real STS allows 15 minutes at least; the emulator does not enforce it) and the emulator's STS.
   */
  private static AwsCredentialsProvider webIdentity(StsClient stsClient, Path tokenFile) {
    Duration session = Duration.ofSeconds(12);
    return StsAssumeRoleWithWebIdentityCredentialsProvider.builder()
        .stsClient(stsClient)
        .prefetchTime(session.dividedBy(2))
        .staleTime(session.dividedBy(4))
        .refreshRequest(
            () -> {
              try {
                return AssumeRoleWithWebIdentityRequest.builder()
                    .roleArn("arn:aws:iam::123456789012:role/vigil-ingester")
                    .roleSessionName("vigil-ingester")
                    .webIdentityToken(Files.readString(tokenFile).trim())
                    .durationSeconds((int) session.toSeconds())
                    .build();
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            })
        .build();
  }

  private OpenSearchConnection connect(AwsCredentialsProvider credentials) {
    IngesterConfig config =
        TestConfigs.queueMode(
            Map.of(
                "vigil.ingester.opensearch.endpoint",
                proxy.uri().toString(),
                "vigil.ingester.opensearch.auth.type",
                "sigv4",
                "vigil.ingester.opensearch.auth.region",
                REGION,
                "vigil.ingester.opensearch.tls.ca-file",
                proxy.caPem().toString()));
    assertThat(ConfigCheck.problems(config)).isEmpty();
    return OpenSearchConnection.create(config.opensearch(), config.aws(), 2, credentials);
  }

  private static Alert alert(String id) {
    Alert alert = new Alert();
    alert.id = id;
    alert.timestamp = Instant.now().toString();
    alert.startTime = alert.timestamp;
    alert.lastSeenTime = alert.timestamp;
    alert.rule.namespace = "vigil";
    alert.rule.name = "sigv4-" + UUID.randomUUID();
    alert.severity = 3;
    alert.state = AlertState.ACTIVE;
    alert.key.put("userIdentity.arn", "arn:aws:iam::111122223333:user/sigv4");
    alert.count = 1;
    return alert;
  }
}
