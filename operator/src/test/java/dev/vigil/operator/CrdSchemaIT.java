package dev.vigil.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.testing.KubeApiServer;
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
        "rule with query and sigma | DetectionRule | {severity: 2, logType: cloudtrail, query: 'a:b', sigma: 'x'} | set only one of query, dsl or sigma",
        "rule severity out of range | DetectionRule | {severity: 7, logType: cloudtrail, query: 'a:b'} | spec.severity",
        "rule without logs | DetectionRule | {severity: 2, query: 'a:b'} | set logType or indexPattern",
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
    String yaml =
        "apiVersion: siem.vigil.dev/v1alpha1\nkind: "
            + kind
            + "\nmetadata: {name: invalid, namespace: vigil}\nspec: "
            + spec
            + "\n";
    GenericKubernetesResource resource =
        client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
    KubernetesClientException rejected =
        catchThrowableOfType(
            KubernetesClientException.class, () -> client.resource(resource).dryRun().create());
    assertThat(rejected).as("%s should be rejected", name).isNotNull();
    assertThat(rejected.getCode()).isEqualTo(422);
    assertThat(rejected.getMessage()).contains(expected);
  }
}
