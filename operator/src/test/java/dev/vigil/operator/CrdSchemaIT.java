package dev.vigil.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.api.v1alpha1.Groups;
import dev.vigil.parts.KubeApiServer;
import dev.vigil.testing.RealPartsExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The committed CRDs on a real API server: samples are accepted, invalid manifests rejected with a
 * clear message.
 */
@ExtendWith(RealPartsExtension.class)
class CrdSchemaIT {
  private static KubernetesClient client;

  @BeforeAll
  static void installCrds(KubeApiServer server) {
    client = server.adminClient();
    KubeApiServerResource.installCrds(client);
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("vigil").endMetadata().build())
        .serverSideApply();
  }

  static List<Path> samples() throws IOException {
    try (Stream<Path> files =
        Files.walk(KubeApiServerResource.repositoryRoot().resolve("samples"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @Test
  void everySampleIsAcceptedByTheApiServer() throws IOException {
    List<Path> samples = samples();
    assertThat(samples).hasSizeGreaterThanOrEqualTo(100); // samples/, detections/ and sigma/
    for (Path sample : samples) {
      try (InputStream in = Files.newInputStream(sample)) {
        for (HasMetadata resource : client.load(in).items()) {
          // A namespace of the samples (samples/demo) is created for real, so what lives in it can
          // be.
          HasMetadata created =
              resource instanceof Namespace
                  ? client.resource(resource).serverSideApply()
                  : client.resource(resource).dryRun().create();
          assertThat(created.getMetadata().getName())
              .as(sample.toString())
              .isEqualTo(resource.getMetadata().getName());
        }
      }
    }
  }

  @Test
  void ingesterSettingsMayBePartialAndDefaultsFillTheRest() {
    String yaml =
        "apiVersion: siem.vigil.dev/v1alpha1\nkind: LogSource\nmetadata: {name: partial, namespace: vigil}\n"
            + "spec: {logType: vpcflow, s3: {bucket: my-logs}, ingester: {minReplicas: 2}}\n";
    GenericKubernetesResource resource =
        client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
    assertThat(client.resource(resource).dryRun().create().getMetadata().getName())
        .isEqualTo("partial");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "rule with query and sigma | DetectionRule | {severity: 2, logType: cloudtrail, query: 'a:b', sigma: 'x'} | set exactly one of query, dsl or sigma",
        "rule with query and dsl | DetectionRule | {severity: 2, logType: cloudtrail, query: 'a:b', dsl: {term: {a: b}}} | set exactly one of query, dsl or sigma",
        "rule with nothing to match | DetectionRule | {severity: 2, logType: cloudtrail} | set exactly one of query, dsl or sigma",
        "rule severity out of range | DetectionRule | {severity: 7, logType: cloudtrail, query: 'a:b'} | spec.severity",
        "rule without logs | DetectionRule | {severity: 2, query: 'a:b'} | set logType or indexPattern",
        "unknown monitor kind | DetectionRule | {severity: 2, logType: cloudtrail, query: 'a:b', monitorType: PerDocument} | spec.monitorType",
        "log source max below min | LogSource | {logType: cloudtrail, s3: {bucket: my-logs}, ingester: {minReplicas: 3, maxReplicas: 2}} | maxReplicas must be at least",
        "cloudwatch without groups | LogSource | {logType: cloudwatch, s3: {bucket: my-logs}} | needs cloudWatchLogs",
        "unknown log type | LogSource | {logType: syslog, s3: {bucket: my-logs}} | spec.logType",
        "geoip on two volumes | LogSource | {logType: waf, s3: {bucket: my-logs}, ingester: {geoIp: {file: a.mmdb, volume: {persistentVolumeClaim: {claimName: db}, image: {reference: 'r/db:1'}}}}} | needs exactly one of persistentVolumeClaim, image, csi",
        "geoip on no volume | LogSource | {logType: waf, s3: {bucket: my-logs}, ingester: {geoIp: {file: a.mmdb, volume: {}}}} | needs exactly one of persistentVolumeClaim, image, csi",
        "geoip file not mmdb | LogSource | {logType: waf, s3: {bucket: my-logs}, ingester: {geoIp: {file: /abs/a.csv, volume: {persistentVolumeClaim: {claimName: db}}}}} | spec.ingester.geoIp.file",
        "basic auth without secret | OpenSearchConnection | {endpoint: 'https://os:9200', auth: {type: Basic}} | auth.basic is required",
        "sigv4 without settings | OpenSearchConnection | {endpoint: 'https://os:443', auth: {type: SigV4}} | auth.sigv4 (at least its region) is required",
        "endpoint not a url | OpenSearchConnection | {endpoint: 'os:9200'} | spec.endpoint",
        "sns channel without topic | NotificationChannel | {type: SNS} | type SNS needs sns.topicArn",
        "severity routing out of range | NotificationChannel | {type: Webhook, severities: [0], webhook: {urlSecretRef: {name: a, key: b}}} | severities are 1",
        "s3 repository without bucket | SnapshotPolicy | {repository: {name: r, type: S3}, schedule: '0 3 * * *'} | repository type S3 needs",
        "bad cron | SnapshotPolicy | {repository: {name: r, type: Fs, fs: {location: /x}}, schedule: 'daily'} | spec.schedule",
        "panel without source | Dashboard | {title: t, panels: [{title: p, type: Pie}]} | a panel reads an indexPattern or a search",
      })
  void invalidManifestIsRejectedWithTheRuleMessage(
      String name, String kind, String spec, String expected) {
    GenericKubernetesResource resource = resource(kind, "invalid", spec);
    KubernetesClientException rejected =
        catchThrowableOfType(
            KubernetesClientException.class, () -> client.resource(resource).dryRun().create());
    assertThat(rejected).as("%s should be rejected", name).isNotNull();
    assertThat(rejected.getCode()).isEqualTo(422);
    assertThat(rejected.getMessage()).contains(expected);
  }

  @Test
  void everyKindIsInTheVigilCategorySoKubectlGetVigilListsThemAll() {
    List<String> inCategory =
        client.getApiResources(Groups.API_VERSION).getResources().stream()
            .filter(r -> r.getCategories() != null && r.getCategories().contains("vigil"))
            .map(r -> r.getKind())
            .toList();
    assertThat(inCategory).containsExactlyInAnyOrderElementsOf(Groups.KINDS);
  }

  @Test
  void aLogSourceNameFitsTheLabelItBecomes() {
    String spec = "{logType: cloudtrail, s3: {bucket: my-logs}}";
    assertThat(
            rejection(
                () ->
                    client.resource(resource("LogSource", "a".repeat(64), spec)).dryRun().create()))
        .contains("a LogSource name has at most 63 characters");
    assertThat(client.resource(resource("LogSource", "a".repeat(63), spec)).dryRun().create())
        .isNotNull();
  }

  @Test
  void fieldsWhoseChangeWouldOrphanAwsResourcesAreImmutable() {
    GenericKubernetesResource created =
        client
            .resource(
                resource(
                    "LogSource",
                    "moving",
                    "{logType: cloudtrail, s3: {bucket: old-logs, prefix: a/}, aws: {region: eu-west-1}}"))
            .create();
    try {
      assertThat(rejectedUpdate(created, "logType", "vpcflow")).contains("logType is immutable");
      assertThat(rejectedUpdate(created, "s3.bucket", "new-logs"))
          .contains("s3.bucket is immutable");
      assertThat(rejectedUpdate(created, "aws.region", "us-east-1"))
          .contains("aws.region is immutable");
      GenericKubernetesResource moved = withSpecValue(created, "s3.prefix", "b/");
      assertThat(client.resource(moved).update().getMetadata().getGeneration())
          .as("other fields stay editable")
          .isEqualTo(2);
    } finally {
      client.resource(created).delete();
    }
  }

  @Test
  void conditionsFollowKubernetesStandardConditionSchema() {
    GenericKubernetesResource created =
        client
            .resource(
                resource(
                    "DetectionRule",
                    "conditions",
                    "{severity: 2, logType: cloudtrail, query: 'a:b'}"))
            .create();
    try {
      String time = "2026-12-06T00:00:00Z";
      assertThat(rejectedStatus(created, List.of(condition("Ready", "Maybe", time))))
          .contains("Unsupported value: \"Maybe\"");
      assertThat(rejectedStatus(created, List.of(condition("Ready", "True", "yesterday"))))
          .contains("lastTransitionTime");
      assertThat(
              rejectedStatus(
                  created,
                  List.of(condition("Ready", "True", time), condition("Ready", "False", time))))
          .contains("Duplicate value");
      created.setAdditionalProperty(
          "status", Map.of("conditions", List.of(condition("Ready", "True", time))));
      assertThat(client.resource(created).updateStatus().get("status", "conditions").toString())
          .contains("Ready");
    } finally {
      client.resource(created).delete();
    }
  }

  private static GenericKubernetesResource resource(String kind, String name, String spec) {
    String yaml =
        "apiVersion: siem.vigil.dev/v1alpha1\nkind: "
            + kind
            + "\nmetadata: {name: "
            + name
            + ", namespace: vigil}\nspec: "
            + spec
            + "\n";
    return client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
  }

  private static Map<String, String> condition(String type, String status, String time) {
    return Map.of("type", type, "status", status, "lastTransitionTime", time, "reason", "Test");
  }

  private static String rejectedStatus(
      GenericKubernetesResource resource, List<Map<String, String>> conditions) {
    GenericKubernetesResource copy = client.getKubernetesSerialization().clone(resource);
    copy.setAdditionalProperty("status", Map.of("conditions", conditions));
    return rejection(() -> client.resource(copy).updateStatus());
  }

  private static String rejectedUpdate(GenericKubernetesResource resource, String path, Object to) {
    GenericKubernetesResource changed = withSpecValue(resource, path, to);
    return rejection(() -> client.resource(changed).update());
  }

  /**
   * A copy of {@code resource} with the spec field at the dotted {@code path} set to {@code to}.
   */
  @SuppressWarnings("unchecked")
  private static GenericKubernetesResource withSpecValue(
      GenericKubernetesResource resource, String path, Object to) {
    GenericKubernetesResource copy = client.getKubernetesSerialization().clone(resource);
    Map<String, Object> map = (Map<String, Object>) copy.getAdditionalProperties().get("spec");
    String[] parts = path.split("\\.");
    for (int i = 0; i < parts.length - 1; i++) {
      map = (Map<String, Object>) map.get(parts[i]);
    }
    map.put(parts[parts.length - 1], to);
    return copy;
  }

  private static String rejection(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    KubernetesClientException rejected =
        catchThrowableOfType(KubernetesClientException.class, call);
    assertThat(rejected).as("the API server should refuse this").isNotNull();
    assertThat(rejected.getCode()).isEqualTo(422);
    return rejected.getMessage();
  }
}
