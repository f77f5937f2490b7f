package dev.vigil.operator.logsource;

import dev.vigil.api.v1alpha1.DetectionRule;
import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.api.v1alpha1.LogSourceSpec;
import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.api.v1alpha1.OpenSearchConnectionSpec;
import dev.vigil.core.DesiredStateHash;
import dev.vigil.core.alerts.StreamDetector;
import dev.vigil.core.ingest.AccountDirectory;
import dev.vigil.core.ingest.BucketPrefixes;
import dev.vigil.core.ingest.IngesterKeys;
import dev.vigil.core.rules.RuleCompiler;
import dev.vigil.core.rules.RuleException;
import dev.vigil.core.rules.RuleManifest;
import dev.vigil.operator.OperatorConfig;
import dev.vigil.operator.common.OwnerReferences;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The ingester Deployment and ConfigMap of one LogSource. The ConfigMap holds the ingester's whole
 * configuration as {@code application.properties} (mounted where Quarkus reads it), so what a pod
 * runs is exactly what {@code kubectl get configmap} shows; OpenSearch credentials and CA are
 * mounted from the connection's Secrets as files, never copied. Both are owned by the LogSource, so
 * Kubernetes removes them with it.
 */
public final class IngesterWorkload {
  static final String CONFIG_KEY = "application.properties";
  static final String RULES_KEY = "detection-rules.yaml";
  static final String HASH_ANNOTATION = LogSource.CONFIG_HASH_ANNOTATION;
  private static final String WORK_DIR = "/deployments";
  private static final String CREDENTIALS_DIR = "/var/run/vigil/opensearch";
  private static final String CA_DIR = "/var/run/vigil/opensearch-ca";
  private static final String GEOIP_DIR = "/var/run/vigil/geoip";
  private static final RuleCompiler COMPILER = RuleCompiler.defaults();

  private IngesterWorkload() {}

  /** Where the ingester's own dead letters go: the source bucket, under a per-LogSource prefix. */
  static String deadLetterPrefix(LogSource source) {
    return BucketPrefixes.deadLetters(
        source.getMetadata().getNamespace(), source.getMetadata().getName());
  }

  /** Where a scanning ingester keeps its checkpoint: the source bucket, per LogSource. */
  static String scanCheckpoint(LogSource source) {
    return "s3://" + source.getSpec().s3.bucket + "/" + scanCheckpointKey(source);
  }

  static String scanCheckpointKey(LogSource source) {
    return BucketPrefixes.scanCheckpoint(
        source.getMetadata().getNamespace(), source.getMetadata().getName());
  }

  /**
   * The ingester's configuration for this LogSource, reading {@code queueUrl} — or, in mode Scan
   * ({@code queueUrl} null), listing the LogSource's prefix every {@code scanInterval}.
   */
  public static Map<String, String> properties(
      LogSource source,
      OpenSearchConnection connection,
      String queueUrl,
      String region,
      OperatorConfig.Aws aws,
      boolean streamRules) {
    LogSourceSpec spec = source.getSpec();
    Map<String, String> p = new LinkedHashMap<>();
    if (streamRules) {
      p.put(IngesterKeys.DETECTION_RULES, WORK_DIR + "/config/" + RULES_KEY);
    }
    if (queueUrl == null) {
      p.put(IngesterKeys.MODE, "scan");
      p.put(IngesterKeys.SCAN_BUCKET, spec.s3.bucket);
      p.put(IngesterKeys.SCAN_PREFIX, spec.s3.prefix == null ? "" : spec.s3.prefix);
      if (spec.s3.suffix != null && !spec.s3.suffix.isEmpty()) {
        p.put(IngesterKeys.SCAN_SUFFIX, spec.s3.suffix);
      }
      p.put(IngesterKeys.SCAN_INTERVAL, spec.notifications.scanInterval);
      p.put(IngesterKeys.SCAN_LOG_TYPE, spec.logType.name());
      p.put(IngesterKeys.SCAN_CHECKPOINT, scanCheckpoint(source));
    } else {
      p.put(IngesterKeys.queueUrl(IngesterKeys.QUEUE), queueUrl);
      p.put(IngesterKeys.queueLogType(IngesterKeys.QUEUE), spec.logType.name());
    }
    aws(
        p,
        region,
        spec.aws == null ? null : spec.aws.roleArn,
        spec.aws == null ? null : spec.aws.externalId,
        aws);
    p.put(IngesterKeys.DEAD_LETTER_S3_BUCKET, spec.s3.bucket);
    p.put(IngesterKeys.DEAD_LETTER_S3_PREFIX, deadLetterPrefix(source));
    LogSourceSpec.IndexSettings index =
        spec.index == null ? new LogSourceSpec.IndexSettings() : spec.index;
    p.put(IngesterKeys.INDEX_PREFIX, index.prefix);
    p.put(IngesterKeys.INDEX_GRANULARITY, index.granularity.name().toLowerCase(Locale.ROOT));
    openSearch(p, connection);
    geoIp(p, geoIp(source));
    accounts(p);
    return p;
  }

  /** How an ingester reaches AWS: region, the role it assumes, the endpoint (an emulator). */
  public static void aws(
      Map<String, String> p,
      String region,
      String roleArn,
      String externalId,
      OperatorConfig.Aws aws) {
    if (region != null) {
      p.put(IngesterKeys.AWS_REGION, region);
    }
    aws.endpointOverride().ifPresent(e -> p.put(IngesterKeys.AWS_ENDPOINT_OVERRIDE, e));
    if (aws.s3PathStyle()) {
      p.put(IngesterKeys.AWS_S3_PATH_STYLE, "true");
    }
    if (roleArn != null) {
      p.put(IngesterKeys.AWS_ROLE_ARN, roleArn);
      if (externalId != null) {
        p.put(IngesterKeys.AWS_EXTERNAL_ID, externalId);
      }
    }
  }

  /**
   * How an ingester reaches OpenSearch: the endpoint, the files its credentials and CA are mounted
   * at by {@link #podSpec}, and the connection's settings of the log indices it creates.
   */
  public static void openSearch(Map<String, String> p, OpenSearchConnection connection) {
    OpenSearchConnectionSpec os = connection.getSpec();
    p.put(IngesterKeys.OPENSEARCH_ENDPOINT, os.endpoint);
    OpenSearchConnectionSpec.AuthType auth =
        os.auth == null ? OpenSearchConnectionSpec.AuthType.None : os.auth.type;
    switch (auth) {
      case None -> p.put(IngesterKeys.OPENSEARCH_AUTH_TYPE, "none");
      case Basic -> {
        p.put(IngesterKeys.OPENSEARCH_AUTH_TYPE, "basic");
        p.put(IngesterKeys.OPENSEARCH_AUTH_USERNAME_FILE, CREDENTIALS_DIR + "/username");
        p.put(IngesterKeys.OPENSEARCH_AUTH_PASSWORD_FILE, CREDENTIALS_DIR + "/password");
      }
      case SigV4 -> {
        p.put(IngesterKeys.OPENSEARCH_AUTH_TYPE, "sigv4");
        if (os.auth.sigv4 != null) {
          if (os.auth.sigv4.region != null) {
            p.put(IngesterKeys.OPENSEARCH_AUTH_REGION, os.auth.sigv4.region);
          }
          p.put(IngesterKeys.OPENSEARCH_AUTH_SERVICE, os.auth.sigv4.service);
        }
      }
    }
    if (os.tls != null && os.tls.caSecretRef != null) {
      p.put(IngesterKeys.OPENSEARCH_TLS_CA_FILE, CA_DIR + "/ca.crt");
    }
    if (os.indices != null) {
      if (os.indices.replicas != null) {
        p.put(IngesterKeys.OPENSEARCH_REPLICAS, os.indices.replicas);
      }
      if (os.indices.refreshInterval != null) {
        p.put(IngesterKeys.OPENSEARCH_REFRESH_INTERVAL, os.indices.refreshInterval);
      }
    }
  }

  /** GeoIP enrichment from the database {@link #podSpec} mounts (nothing when null). */
  public static void geoIp(Map<String, String> p, LogSourceSpec.GeoIp geoIp) {
    if (geoIp != null) {
      p.put(IngesterKeys.GEOIP_DATABASE, GEOIP_DIR + "/" + geoIp.file);
      if (geoIp.cacheSize != null) {
        p.put(IngesterKeys.GEOIP_CACHE_SIZE, geoIp.cacheSize.toString());
      }
    }
  }

  /** The account directory {@link #podSpec} mounts (absent until the operator first writes it). */
  public static void accounts(Map<String, String> p) {
    p.put(IngesterKeys.ACCOUNTS_FILE, AccountDirectory.MOUNT_DIR + "/" + AccountDirectory.FILE);
  }

  public static LogSourceSpec.GeoIp geoIp(LogSource source) {
    LogSourceSpec.Ingester ingester = source.getSpec().ingester;
    return ingester == null || ingester.geoIp == null || ingester.geoIp.volume == null
        ? null
        : ingester.geoIp;
  }

  /** The GeoIP database's volume, as the LogSource names it (one source set; CEL checks that). */
  private static Volume geoIpVolume(LogSourceSpec.GeoIpVolume source) {
    return new VolumeBuilder()
        .withName("geoip")
        .withPersistentVolumeClaim(
            source.persistentVolumeClaim == null
                ? null
                : new io.fabric8.kubernetes.api.model.PersistentVolumeClaimVolumeSourceBuilder(
                        source.persistentVolumeClaim)
                    .withReadOnly(true)
                    .build())
        .withImage(source.image)
        .withCsi(
            source.csi == null
                ? null
                : new io.fabric8.kubernetes.api.model.CSIVolumeSourceBuilder(source.csi)
                    .withReadOnly(true)
                    .build())
        .build();
  }

  static String render(Map<String, String> properties) {
    return properties.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\"))
        .collect(
            Collectors.joining("\n", "# Written by the Vigil operator; edits are undone.\n", "\n"));
  }

  /**
   * The DetectionRules this ingester runs per event (streaming detection), as the manifests users
   * write, sorted by name: the built-in engine's rules on the same connection that the stream can
   * run ({@link StreamDetector#select}: valid, every-match, a log type) and that read {@code
   * logType} (any type for {@code auto}). Empty when there are none. Only what the ingester runs is
   * written, so an invalid rule, a counting rule or another log type's rule changes neither the
   * ConfigMap nor the config hash, and no ingester restarts for it.
   */
  public static String streamRules(List<DetectionRule> rules, String logType) {
    StringBuilder yaml = new StringBuilder();
    for (DetectionRule rule :
        rules.stream().sorted(Comparator.comparing(r -> r.getMetadata().getName())).toList()) {
      Map<String, Object> manifest = new LinkedHashMap<>();
      manifest.put("apiVersion", rule.getApiVersion());
      manifest.put("kind", rule.getKind());
      manifest.put(
          "metadata",
          Map.of(
              "name",
              rule.getMetadata().getName(),
              "namespace",
              rule.getMetadata().getNamespace()));
      manifest.put("spec", rule.getSpec());
      String document = Serialization.asYaml(manifest);
      if (streams(document, rule.getMetadata().getName(), logType)) {
        yaml.append(document);
      }
    }
    return yaml.toString();
  }

  /** Whether the ingester of {@code logType} would run this manifest: read as the ingester does. */
  private static boolean streams(String manifest, String name, String logType) {
    try {
      StreamDetector.Selection selection =
          StreamDetector.select(RuleManifest.read(manifest, "DetectionRule " + name), COMPILER);
      return selection.rules().size() == 1
          && ("auto".equals(logType)
              || selection.rules().get(0).compiled().logType().id().equals(logType));
    } catch (RuleException e) {
      return false;
    }
  }

  public static ConfigMap configMap(
      LogSource source, String name, Map<String, String> properties, String streamRules) {
    return configMap(source, name, labels(source, name), properties, streamRules);
  }

  /** The ingester's configuration, owned by {@code owner} (a LogSource or a LogReplay). */
  public static ConfigMap configMap(
      HasMetadata owner,
      String name,
      Map<String, String> labels,
      Map<String, String> properties,
      String streamRules) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(CONFIG_KEY, render(properties));
    if (!streamRules.isEmpty()) {
      data.put(RULES_KEY, streamRules);
    }
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(owner.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(OwnerReferences.controller(owner))
        .endMetadata()
        .withData(data)
        .build();
  }

  public static Deployment deployment(
      LogSource source,
      OpenSearchConnection connection,
      String name,
      Map<String, String> properties,
      String streamRules,
      int replicas,
      OperatorConfig.Ingesters settings) {
    Map<String, String> labels = labels(source, name);
    Deployment deployment =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(source.getMetadata().getNamespace())
            .withLabels(labels)
            .withOwnerReferences(OwnerReferences.controller(source))
            .endMetadata()
            .withNewSpec()
            .withReplicas(replicas)
            .withNewSelector()
            .withMatchLabels(Map.of("app.kubernetes.io/instance", name))
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(labels)
            .endMetadata()
            .withSpec(podSpec(name, connection, source.getSpec().ingester, geoIp(source), settings))
            .endTemplate()
            .endSpec()
            .build();
    if (AwsProvisioning.scans(source.getSpec())) {
      // One scanner per prefix, also during a rollout: the old pod stops before the new starts.
      deployment
          .getSpec()
          .setStrategy(
              new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder()
                  .withType("Recreate")
                  .build());
    }
    // The hash of configuration and pod spec: a change rolls the pods (a ConfigMap edit alone would
    // not) and tells the operator whether the Deployment needs a write at all.
    String hash =
        DesiredStateHash.of(
            List.of(properties, streamRules, deployment.getSpec().getTemplate().getSpec()));
    deployment.getSpec().getTemplate().getMetadata().setAnnotations(Map.of(HASH_ANNOTATION, hash));
    return deployment;
  }

  /**
   * The pod of an ingester (a LogSource's Deployment, a LogReplay's Job): the image, the
   * configuration {@code configName} mounted where Quarkus reads it, the connection's credentials
   * and CA mounted as files, the GeoIP database, a locked-down security context.
   *
   * @param ingester the LogSource's ingester settings (image, resources); null: the defaults
   */
  public static PodSpec podSpec(
      String configName,
      OpenSearchConnection connection,
      LogSourceSpec.Ingester ingester,
      LogSourceSpec.GeoIp geoIp,
      OperatorConfig.Ingesters settings) {
    if (ingester == null) {
      ingester = new LogSourceSpec.Ingester();
    }
    List<Volume> volumes = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    volumes.add(
        new VolumeBuilder()
            .withName("config")
            .withNewConfigMap()
            .withName(configName)
            .endConfigMap()
            .build());
    mounts.add(mount("config", WORK_DIR + "/config"));
    mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
    OpenSearchConnectionSpec os = connection.getSpec();
    if (os.auth != null
        && os.auth.type == OpenSearchConnectionSpec.AuthType.Basic
        && os.auth.basic != null) {
      volumes.add(
          new VolumeBuilder()
              .withName("opensearch-credentials")
              .withNewSecret()
              .withSecretName(os.auth.basic.secretName)
              .addNewItem()
              .withKey(os.auth.basic.usernameKey)
              .withPath("username")
              .endItem()
              .addNewItem()
              .withKey(os.auth.basic.passwordKey)
              .withPath("password")
              .endItem()
              .endSecret()
              .build());
      mounts.add(mount("opensearch-credentials", CREDENTIALS_DIR));
    }
    if (os.tls != null && os.tls.caSecretRef != null) {
      volumes.add(
          new VolumeBuilder()
              .withName("opensearch-ca")
              .withNewSecret()
              .withSecretName(os.tls.caSecretRef.name)
              .addNewItem()
              .withKey(os.tls.caSecretRef.key)
              .withPath("ca.crt")
              .endItem()
              .endSecret()
              .build());
      mounts.add(mount("opensearch-ca", CA_DIR));
    }
    if (geoIp != null) {
      volumes.add(geoIpVolume(geoIp.volume));
      mounts.add(mount("geoip", GEOIP_DIR));
    }
    // Optional: pods start before the operator first reads Organizations (or when nothing in the
    // namespace does); the kubelet updates the file in place, so a refresh restarts no pod.
    volumes.add(
        new VolumeBuilder()
            .withName("accounts")
            .withNewConfigMap()
            .withName(AccountDirectory.CONFIG_MAP)
            .withOptional(true)
            .endConfigMap()
            .build());
    mounts.add(mount("accounts", AccountDirectory.MOUNT_DIR));
    ResourceRequirements resources =
        ingester.resources != null
            ? ingester.resources
            : new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("250m"))
                .addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("512Mi"))
                .addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("1Gi"))
                .build();
    return new PodSpecBuilder()
        .withServiceAccountName(settings.serviceAccount())
        // In-flight objects get the ingester's shutdown grace (20 s) plus margin on scale-in.
        .withTerminationGracePeriodSeconds(60L)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .addNewContainer()
        .withName("ingester")
        .withImage(ingester.image != null ? ingester.image : settings.image())
        .withWorkingDir(WORK_DIR)
        .addNewPort()
        .withName("http")
        .withContainerPort(8080)
        .endPort()
        .withNewLivenessProbe()
        .withNewHttpGet()
        .withPath("/q/health/live")
        .withNewPort("http")
        .endHttpGet()
        .withPeriodSeconds(10)
        .endLivenessProbe()
        .withNewReadinessProbe()
        .withNewHttpGet()
        .withPath("/q/health/ready")
        .withNewPort("http")
        .endHttpGet()
        .withPeriodSeconds(10)
        .endReadinessProbe()
        .withResources(resources)
        .withEnvFrom(
            settings
                .awsCredentialsSecret()
                .map(
                    secret ->
                        List.of(
                            new io.fabric8.kubernetes.api.model.EnvFromSourceBuilder()
                                .withNewSecretRef()
                                .withName(secret)
                                .endSecretRef()
                                .build()))
                .orElse(List.of()))
        .withVolumeMounts(mounts)
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .endContainer()
        .withVolumes(volumes)
        .addNewVolume()
        .withName("tmp")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .build();
  }

  /** The configuration hash a Deployment was last written with (null when none). */
  static String hash(Deployment deployment) {
    Map<String, String> annotations =
        deployment.getSpec().getTemplate().getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(HASH_ANNOTATION);
  }

  private static VolumeMount mount(String name, String path) {
    return new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(true).build();
  }

  private static Map<String, String> labels(LogSource source, String name) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", "vigil-ingester");
    labels.put("app.kubernetes.io/instance", name);
    labels.put("app.kubernetes.io/managed-by", "vigil");
    labels.put(LogSource.LABEL, source.getMetadata().getName());
    return labels;
  }
}
