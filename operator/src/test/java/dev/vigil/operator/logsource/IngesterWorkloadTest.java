package dev.vigil.operator.logsource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.api.v1alpha1.OpenSearchConnectionSpec;
import dev.vigil.operator.OperatorConfig;
import dev.vigil.testing.AppImageChecks;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The ingester workload of a LogSource with GeoIP: the database volume, its mount, the setting. */
class IngesterWorkloadTest {
  private static final OperatorConfig.Aws AWS = TestSettings.aws(Optional.of("eu-west-1"));
  private static final OperatorConfig.Ingesters INGESTERS = TestSettings.INGESTERS;

  private static LogSource source(String ingester) {
    String yaml =
        """
        apiVersion: siem.vigil.dev/v1alpha1
        kind: LogSource
        metadata: {name: waf, namespace: vigil, uid: 1234}
        spec:
          logType: waf
          s3: {bucket: acme-log-archive, prefix: waf/}
        """
            + ingester;
    return Serialization.unmarshal(yaml, LogSource.class);
  }

  private static OpenSearchConnection connection() {
    OpenSearchConnection connection = new OpenSearchConnection();
    connection.setSpec(new OpenSearchConnectionSpec());
    connection.getSpec().endpoint = "https://search.example:9200";
    return connection;
  }

  private static Deployment deployment(LogSource source, Map<String, String> properties) {
    return IngesterWorkload.deployment(
        source, connection(), "vigil-ingester-waf", properties, "", 1, INGESTERS);
  }

  private static Map<String, String> properties(LogSource source) {
    return IngesterWorkload.properties(
        source, connection(), "https://sqs/q", "eu-west-1", AWS, false);
  }

  /**
   * What the pod expects of the ingester image is what the image is (AppImageChecks holds the image
   * to the same): working directory with config below it, a writable /tmp on a read-only root,
   * non-root, probes on 8080.
   */
  @Test
  void podRunsTheIngesterImageAsItIsBuilt() {
    LogSource source = source("");
    PodSpec pod = deployment(source, properties(source)).getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().get(0);

    assertThat(container.getImage()).isEqualTo(INGESTERS.image());
    assertThat(container.getWorkingDir()).isEqualTo(AppImageChecks.APP_DIR);
    assertThat(container.getVolumeMounts())
        .extracting(m -> m.getMountPath())
        .contains(AppImageChecks.APP_DIR + "/config", "/tmp");
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getName().equals("tmp"))
        .singleElement()
        .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(container.getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8080));
  }

  @Test
  void geoIpDatabaseOnAClaimIsMountedReadOnlyAndConfigured() {
    LogSource source =
        source(
            """
              ingester:
                geoIp:
                  volume: {persistentVolumeClaim: {claimName: geoip-db}}
                  file: GeoLite2-City.mmdb
                  cacheSize: 5000
            """);

    Map<String, String> properties = properties(source);
    PodSpec pod = deployment(source, properties).getSpec().getTemplate().getSpec();

    assertThat(properties)
        .containsEntry("vigil.ingester.geoip.database", "/var/run/vigil/geoip/GeoLite2-City.mmdb")
        .containsEntry("vigil.ingester.geoip.cache-size", "5000");
    Volume volume =
        pod.getVolumes().stream()
            .filter(v -> v.getName().equals("geoip"))
            .findFirst()
            .orElseThrow();
    assertThat(volume.getPersistentVolumeClaim().getClaimName()).isEqualTo("geoip-db");
    assertThat(volume.getPersistentVolumeClaim().getReadOnly()).isTrue();
    Container container = pod.getContainers().get(0);
    assertThat(container.getVolumeMounts())
        .filteredOn(m -> m.getName().equals("geoip"))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getMountPath()).isEqualTo("/var/run/vigil/geoip");
              assertThat(m.getReadOnly()).isTrue();
            });
  }

  @Test
  void imageVolumesAreTakenAsTheyAre() {
    LogSource source =
        source(
            """
              ingester:
                geoIp:
                  volume: {image: {reference: "registry.example/geoip/dbip-city-lite:2026-11", pullPolicy: IfNotPresent}}
                  file: dbip-city-lite.mmdb
            """);

    Map<String, String> properties = properties(source);
    PodSpec pod = deployment(source, properties).getSpec().getTemplate().getSpec();

    assertThat(properties)
        .containsEntry("vigil.ingester.geoip.database", "/var/run/vigil/geoip/dbip-city-lite.mmdb")
        .doesNotContainKey("vigil.ingester.geoip.cache-size");
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getName().equals("geoip"))
        .singleElement()
        .satisfies(
            v ->
                assertThat(v.getImage().getReference())
                    .isEqualTo("registry.example/geoip/dbip-city-lite:2026-11"));
  }

  @Test
  void withoutGeoIpThereIsNoVolumeNorSettingAndAddingItRollsThePods() {
    LogSource plain = source("  ingester: {minReplicas: 1}\n");
    LogSource withGeoIp =
        source(
            """
              ingester:
                minReplicas: 1
                geoIp:
                  volume: {persistentVolumeClaim: {claimName: geoip-db}}
                  file: GeoLite2-City.mmdb
            """);

    Map<String, String> properties = properties(plain);
    Deployment deployment = deployment(plain, properties);

    assertThat(properties.keySet()).noneMatch(k -> k.startsWith("vigil.ingester.geoip"));
    assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
        .noneMatch(v -> v.getName().equals("geoip"));
    assertThat(IngesterWorkload.hash(deployment))
        .isNotEqualTo(IngesterWorkload.hash(deployment(withGeoIp, properties(withGeoIp))));
  }

  /**
   * Every ingester reads the namespace's account directory from the optional ConfigMap volume, so
   * pods start before the operator first writes it and a refresh reaches them without a restart.
   */
  @Test
  void everyPodMountsTheAccountDirectoryOptionallyAndReadsItsFile() {
    LogSource source = source("");
    Map<String, String> properties = properties(source);
    PodSpec pod = deployment(source, properties).getSpec().getTemplate().getSpec();

    assertThat(properties)
        .containsEntry("vigil.ingester.accounts.file", "/var/run/vigil/accounts/accounts.json");
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getName().equals("accounts"))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getConfigMap().getName()).isEqualTo("vigil-accounts");
              assertThat(v.getConfigMap().getOptional()).isTrue();
            });
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .filteredOn(m -> m.getName().equals("accounts"))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getMountPath()).isEqualTo("/var/run/vigil/accounts");
              assertThat(m.getReadOnly()).isTrue();
              assertThat(m.getSubPath()).as("a subPath mount would never update").isNull();
            });
  }

  @Test
  void awsCredentialsSecretBecomesThePodsEnvironmentOnlyWhenConfigured() {
    LogSource source = source("");
    Map<String, String> properties = properties(source);
    Container withSecret =
        IngesterWorkload.deployment(
                source,
                connection(),
                "vigil-ingester-waf",
                properties,
                "",
                1,
                TestSettings.ingesters(Optional.of("vigil-aws")))
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    Container without =
        deployment(source, properties).getSpec().getTemplate().getSpec().getContainers().get(0);

    assertThat(withSecret.getEnvFrom())
        .singleElement()
        .satisfies(e -> assertThat(e.getSecretRef().getName()).isEqualTo("vigil-aws"));
    assertThat(without.getEnvFrom()).isEmpty();
  }
}
