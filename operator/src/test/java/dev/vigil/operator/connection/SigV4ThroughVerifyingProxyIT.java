package dev.vigil.operator.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.api.v1alpha1.OpenSearchConnectionSpec;
import dev.vigil.core.LogType;
import dev.vigil.core.alerts.StreamDetector;
import dev.vigil.core.parse.IndexNaming;
import dev.vigil.core.parse.IndexTemplates;
import dev.vigil.core.rules.RuleCompiler;
import dev.vigil.core.rules.RuleManifest;
import dev.vigil.operator.common.AwsCallLimits;
import dev.vigil.operator.detection.AlertIndex;
import dev.vigil.operator.detection.AlertNotifier;
import dev.vigil.operator.detection.BuiltInEngine;
import dev.vigil.operator.detection.RunOutcome;
import dev.vigil.operator.detection.ScheduledRule;
import dev.vigil.operator.opensearch.OpenSearchException;
import dev.vigil.operator.opensearch.OpenSearchRest;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.parts.RealParts;
import dev.vigil.testing.GateProxy;
import dev.vigil.testing.SigV4Keys;
import dev.vigil.testing.SigV4VerifyingProxy;
import dev.vigil.testing.StsWitness;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The operator's SigV4 path (an OpenSearchConnection with {@code auth.type: SigV4}) against the
 * real OpenSearch behind {@link SigV4VerifyingProxy}, which recomputes every signature with the AWS
 * SDK's signer as Amazon OpenSearch Service would: the connection probe, the built-in engine's
 * searches and alert writes, plugin API calls, bodies and encoded query strings all pass; IRSA
 * sessions issued by the emulator's STS (the proxy learns them from STS's answers, never from the
 * test) rotate while the operator keeps working; a connection's {@code roleArn} is assumed; and a
 * hung STS fails the request within the configured call time-out, naming the call.
 */
class SigV4ThroughVerifyingProxyIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REGION = "eu-west-1";
  private static final String ROLE = "arn:aws:iam::123456789012:role/vigil-operator";
  private static final AwsCredentials USER =
      AwsBasicCredentials.create("AKIAVIGILOPERATOR001", "operator-test-secret/0123456789");

  /** The production defaults (vigil.operator.aws.*): the machine may be loaded. */
  private static final AwsCallLimits LIMITS =
      new AwsCallLimits(Duration.ofSeconds(30), Duration.ofSeconds(10));

  /** Short, for the hung endpoint. */
  private static final AwsCallLimits SHORT =
      new AwsCallLimits(Duration.ofSeconds(3), Duration.ofSeconds(1));

  private static final Path RULE = Path.of("../samples/detectionrule-cloudtrail-tampering.yaml");

  private final OpenSearchNode node = RealParts.openSearch();
  private final MotoServer moto = RealParts.moto();
  private final StsWitness sts = StsWitness.start(moto.endpoint());
  private SigV4VerifyingProxy proxy;

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    sts.close();
  }

  @Test
  void probeEngineSearchesAlertWritesAndPluginCallsPassWithBodiesAndEncodedQueries(
      @TempDir Path dir) throws Exception {
    proxy = SigV4VerifyingProxy.start(node.uri(), REGION, "es", SigV4Keys.of(USER), dir);
    OpenSearchRest rest = rest(connection(null), StaticCredentialsProvider.create(USER));

    assertThat(ClusterProbe.probe(rest).version()).isEqualTo(OpenSearchNode.VERSION);
    String user = "arn:aws:iam::111122223333:user/sigv4-" + UUID.randomUUID();
    IndexTemplates templates = new IndexTemplates(IndexNaming.defaults());
    rest.put("_component_template/" + templates.componentName(), templates.componentTemplate());
    rest.put(
        "_index_template/" + templates.templateName(LogType.CLOUDTRAIL),
        templates.indexTemplate(LogType.CLOUDTRAIL));
    String index =
        "vigil-cloudtrail-"
            + dev.vigil.core.snapshot.IndexPartitions.daySuffix(
                java.time.LocalDate.now(java.time.ZoneOffset.UTC));
    rest.put(index + "/_doc/" + UUID.randomUUID() + "?refresh=true", stopLogging(user));

    RunOutcome outcome =
        new BuiltInEngine(
                new AlertIndex(), AlertNotifier.NONE, Clock.systemUTC(), Duration.ofMinutes(15))
            .run(rule(rest));
    assertThat(outcome.result()).isEqualTo(RunOutcome.TRIGGERED);
    // Index patterns with '*' and ',' in the path, and a query string that needs encoding.
    JsonNode found =
        rest.get(
            "vigil-cloudtrail-*,vigil-nothing-*/_search?ignore_unavailable=true&size=5"
                + "&q=userIdentity.arn:%22"
                + user.replace(":", "%3A").replace("/", "%2F")
                + "%22");
    assertThat(found.at("/hits/total/value").asInt()).isEqualTo(1);
    assertThat(rest.get("_cat/indices/vigil-*?format=json&h=index,docs.count").isArray()).isTrue();
    // The Alerting plugin is not installed here: OpenSearch, not the proxy, answers the call.
    ObjectNode search = JSON.createObjectNode();
    search.putObject("query").putObject("match").put("monitor.name", "vigil cloudtrail*");
    assertThatThrownBy(() -> rest.post("_plugins/_alerting/monitors/_search?size=100", search))
        .isInstanceOfSatisfying(
            OpenSearchException.class,
            e -> assertThat(e.getMessage()).contains("answered 400", "no handler found"));

    List<SigV4VerifyingProxy.Verdict> verdicts = proxy.verdicts();
    assertThat(verdicts).allMatch(SigV4VerifyingProxy.Verdict::accepted);
    assertThat(verdicts)
        .extracting(SigV4VerifyingProxy.Verdict::target)
        .anyMatch(t -> t.startsWith("/_bulk"))
        .anyMatch(t -> t.startsWith("/vigil-cloudtrail-*,vigil-nothing-*/_search?"))
        .anyMatch(t -> t.startsWith("/_plugins/_alerting/monitors/_search?size=100"));
  }

  @Test
  void aWrongSecretIsRefusedWithAmazonsMessageInTheConnectionsStatusReason(@TempDir Path dir)
      throws Exception {
    proxy = SigV4VerifyingProxy.start(node.uri(), REGION, "es", SigV4Keys.of(USER), dir);
    OpenSearchRest rest =
        rest(
            connection(null),
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(USER.accessKeyId(), "not-the-secret")));

    assertThatThrownBy(() -> ClusterProbe.probe(rest))
        .isInstanceOfSatisfying(
            OpenSearchException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("Forbidden");
              assertThat(e.getMessage())
                  .contains("answered 403", "The request signature we calculated does not match");
            });
  }

  @Test
  void irsaSessionsTheProxyLearnsFromTheEmulatorsStsAnswersRotateEvery12sWhileTheOperatorSigns(
      @TempDir Path dir) throws Exception {
    proxy = SigV4VerifyingProxy.start(node.uri(), REGION, "es", sts, dir);
    Path token = Files.writeString(dir.resolve("token"), "eyJ-projected-service-account-token");
    SigV4Identity identity =
        new SigV4Identity(
            SigV4Identity.webIdentity(
                SigV4Identity.sts(LIMITS, Optional.of(sts.uri()), Region.of(REGION)),
                ROLE,
                token,
                Duration.ofSeconds(12)),
            LIMITS,
            Optional.of(sts.uri()));
    OpenSearchRest rest =
        new OpenSearchRest(new EndpointResolver(null, () -> identity).resolve(connection(null)));

    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              ClusterProbe.probe(rest); // throws, failing the test, when a request is refused
              return sts.issued().size() >= 3;
            });

    List<SigV4VerifyingProxy.Verdict> verdicts = proxy.verdicts();
    assertThat(verdicts).allMatch(SigV4VerifyingProxy.Verdict::accepted);
    Set<String> used =
        verdicts.stream().map(SigV4VerifyingProxy.Verdict::accessKeyId).collect(Collectors.toSet());
    assertThat(used).hasSizeGreaterThanOrEqualTo(3);
    // The first session has expired by now: had the operator kept it, it would be refused.
    StsWitness.Issued first = sts.issued().get(0);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Instant.now().isAfter(first.key().expiration()));
    OpenSearchRest stale =
        rest(
            connection(null),
            StaticCredentialsProvider.create(
                AwsSessionCredentials.create(
                    first.accessKeyId(),
                    first.key().secretAccessKey(),
                    first.key().sessionToken())));
    assertThatThrownBy(() -> ClusterProbe.probe(stale))
        .hasMessageContaining("The security token included in the request is expired");
  }

  @Test
  void aConnectionsRoleArnIsAssumedWithTheOperatorsOwnIdentityAndSignsEveryRequest(
      @TempDir Path dir) throws Exception {
    proxy = SigV4VerifyingProxy.start(node.uri(), REGION, "es", sts, dir);
    SigV4Identity identity =
        new SigV4Identity(StaticCredentialsProvider.create(USER), LIMITS, Optional.of(sts.uri()));
    OpenSearchRest rest =
        new OpenSearchRest(
            new EndpointResolver(null, () -> identity)
                .resolve(connection("arn:aws:iam::210987654321:role/vigil-domain-access")));

    assertThat(ClusterProbe.probe(rest).version()).isEqualTo(OpenSearchNode.VERSION);
    Set<String> assumed =
        sts.issued().stream().map(StsWitness.Issued::accessKeyId).collect(Collectors.toSet());
    assertThat(proxy.verdicts())
        .isNotEmpty()
        .allMatch(SigV4VerifyingProxy.Verdict::accepted)
        .allMatch(v -> assumed.contains(v.accessKeyId()));
  }

  @Test
  void theOperatorsIrsaEnvironmentSignsThroughTheBoundedStsAtTheEndpointOverride(@TempDir Path dir)
      throws Exception {
    proxy = SigV4VerifyingProxy.start(node.uri(), REGION, "es", sts, dir);
    Path token = Files.writeString(dir.resolve("token"), "eyJ-projected-service-account-token");
    // What EKS sets in the pod (AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE), with the emulator as
    // vigil.operator.aws.endpoint-override.
    SigV4Identity identity =
        SigV4Identity.of(aws(sts.uri()), Optional.of(ROLE), Optional.of(token.toString()));
    OpenSearchRest rest =
        new OpenSearchRest(new EndpointResolver(null, () -> identity).resolve(connection(null)));

    assertThat(ClusterProbe.probe(rest).version()).isEqualTo(OpenSearchNode.VERSION);
    Set<String> issued =
        sts.issued().stream().map(StsWitness.Issued::accessKeyId).collect(Collectors.toSet());
    assertThat(issued).isNotEmpty();
    assertThat(proxy.verdicts())
        .isNotEmpty()
        .allMatch(SigV4VerifyingProxy.Verdict::accepted)
        .allMatch(v -> issued.contains(v.accessKeyId()));
  }

  private static dev.vigil.operator.OperatorConfig.Aws aws(java.net.URI endpoint) {
    return new dev.vigil.operator.OperatorConfig.Aws() {
      @Override
      public Optional<String> region() {
        return Optional.of(REGION);
      }

      @Override
      public Optional<String> endpointOverride() {
        return Optional.of(endpoint.toString());
      }

      @Override
      public boolean s3PathStyle() {
        return true;
      }

      @Override
      public Duration apiCallTimeout() {
        return LIMITS.apiCall();
      }

      @Override
      public Duration apiCallAttemptTimeout() {
        return LIMITS.attempt();
      }
    };
  }

  @Test
  void aHungStsFailsTheRequestWithinTheCallTimeOutNamingTheCall(@TempDir Path dir)
      throws Exception {
    proxy = SigV4VerifyingProxy.start(node.uri(), REGION, "es", sts, dir);
    Path token = Files.writeString(dir.resolve("token"), "eyJ-projected-service-account-token");
    try (GateProxy gate = new GateProxy(moto.endpoint())) {
      gate.set(GateProxy.State.FROZEN);
      Optional<java.net.URI> hung = Optional.of(gate.uri());
      SigV4Identity assumer =
          new SigV4Identity(StaticCredentialsProvider.create(USER), SHORT, hung);
      SigV4Identity irsa =
          new SigV4Identity(
              SigV4Identity.webIdentity(
                  SigV4Identity.sts(SHORT, hung, Region.of(REGION)), ROLE, token, null),
              SHORT,
              hung);

      assertCredentialsTimeOut(
          new OpenSearchRest(new EndpointResolver(null, () -> assumer).resolve(connection(ROLE))),
          "sts:AssumeRole");
      assertCredentialsTimeOut(
          new OpenSearchRest(new EndpointResolver(null, () -> irsa).resolve(connection(null))),
          "sts:AssumeRoleWithWebIdentity");
      assertThat(proxy.verdicts()).isEmpty();
    }
  }

  private static void assertCredentialsTimeOut(OpenSearchRest rest, String call) {
    assertThatThrownBy(() -> ClusterProbe.probe(rest))
        .isInstanceOfSatisfying(
            OpenSearchException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("CredentialsUnavailable");
              assertThat(e.getMessage())
                  .contains(call + " timed out after 3 s (vigil.operator.aws.api-call-timeout");
            });
  }

  /** An OpenSearchConnection as a user writes it for Amazon OpenSearch Service, at the proxy. */
  private OpenSearchConnection connection(String roleArn) {
    OpenSearchConnection connection = new OpenSearchConnection();
    connection.setMetadata(new ObjectMetaBuilder().withNamespace("vigil").withName("aws").build());
    OpenSearchConnectionSpec spec = new OpenSearchConnectionSpec();
    spec.endpoint = proxy.uri().toString();
    spec.requestTimeout = "30s";
    spec.auth = new OpenSearchConnectionSpec.Auth();
    spec.auth.type = OpenSearchConnectionSpec.AuthType.SigV4;
    spec.auth.sigv4 = new OpenSearchConnectionSpec.SigV4();
    spec.auth.sigv4.region = REGION;
    spec.auth.sigv4.roleArn = roleArn;
    // The proxy's certificate is self-signed; trusting it by caSecretRef would need a Secret.
    spec.tls = new OpenSearchConnectionSpec.Tls();
    spec.tls.insecureSkipVerify = true;
    connection.setSpec(spec);
    return connection;
  }

  private OpenSearchRest rest(OpenSearchConnection connection, StaticCredentialsProvider own)
      throws Exception {
    SigV4Identity identity = new SigV4Identity(own, LIMITS, Optional.of(sts.uri()));
    return new OpenSearchRest(new EndpointResolver(null, () -> identity).resolve(connection));
  }

  private static ScheduledRule rule(OpenSearchRest rest) throws Exception {
    StreamDetector.StreamRule compiled =
        StreamDetector.select(
                RuleManifest.read(Files.readString(RULE), RULE.toString()), RuleCompiler.defaults())
            .rules()
            .get(0);
    return new ScheduledRule(
        "vigil",
        "cloudtrail-tampering",
        compiled.compiled(),
        compiled.alerts(),
        Duration.ofMinutes(5),
        rest,
        List.of(),
        Set.of());
  }

  private static ObjectNode stopLogging(String user) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    ObjectNode e = JSON.createObjectNode();
    e.put("@timestamp", now.toString());
    e.put("eventTime", now.toString());
    e.put("eventSource", "cloudtrail.amazonaws.com");
    e.put("eventName", "StopLogging");
    e.put("awsRegion", REGION);
    e.putObject("userIdentity").put("type", "IAMUser").put("arn", user);
    e.putObject("requestParameters").put("name", "org-trail");
    return e;
  }
}
