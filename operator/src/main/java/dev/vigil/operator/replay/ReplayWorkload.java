package dev.vigil.operator.replay;

import dev.vigil.api.v1alpha1.LogReplay;
import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.core.ingest.IngesterKeys;
import dev.vigil.operator.OperatorConfig;
import dev.vigil.operator.common.OwnerReferences;
import dev.vigil.operator.logsource.IngesterWorkload;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Job and ConfigMap of one LogReplay: the ingester in replay mode, configured and mounted the
 * way a LogSource's ingester is ({@link IngesterWorkload}: AWS access, OpenSearch connection and
 * its Secrets, pod spec), so both read the same keys from the same code. Both are owned by the
 * LogReplay, so Kubernetes deletes them with it.
 */
public final class ReplayWorkload {
  /**
   * The {@code app.kubernetes.io/name} of replay Jobs and pods; the operator watches Jobs by it.
   */
  public static final String APP = "vigil-replay";

  /**
   * Pods the Job starts before it fails. Each resumes after the checkpoint, so a retry costs only
   * the objects in flight when the last one stopped.
   */
  static final int BACKOFF_LIMIT = 3;

  private ReplayWorkload() {}

  /** The ingester's configuration for this replay. */
  public static Map<String, String> properties(
      ReplayPlan plan, OpenSearchConnection connection, OperatorConfig.Aws aws) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(IngesterKeys.MODE, "replay");
    p.put(IngesterKeys.REPLAY_BUCKET, plan.bucket());
    p.put(IngesterKeys.REPLAY_PREFIX, plan.prefix());
    p.put(IngesterKeys.REPLAY_FROM, plan.from());
    p.put(IngesterKeys.REPLAY_TO, plan.to());
    if (plan.indexPrefix() != null) {
      p.put(IngesterKeys.REPLAY_INDEX_PREFIX, plan.indexPrefix());
    }
    p.put(IngesterKeys.REPLAY_LOG_TYPE, plan.logType());
    p.put(IngesterKeys.REPLAY_CHECKPOINT, plan.checkpoint());
    IngesterWorkload.aws(p, plan.region(), plan.roleArn(), plan.externalId(), aws);
    p.put(IngesterKeys.DEAD_LETTER_S3_BUCKET, plan.bucket());
    p.put(IngesterKeys.DEAD_LETTER_S3_PREFIX, plan.deadLetterPrefix());
    IngesterWorkload.openSearch(p, connection);
    IngesterWorkload.geoIp(p, plan.geoIp());
    IngesterWorkload.accounts(p);
    return p;
  }

  static Map<String, String> labels(LogReplay replay, String name) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", APP);
    labels.put("app.kubernetes.io/instance", name);
    labels.put("app.kubernetes.io/managed-by", "vigil");
    labels.put(LogReplay.LABEL, replay.getMetadata().getName());
    return labels;
  }

  public static ConfigMap configMap(LogReplay replay, ReplayPlan plan, Map<String, String> props) {
    return IngesterWorkload.configMap(
        replay, plan.jobName(), labels(replay, plan.jobName()), props, "");
  }

  public static Job job(
      LogReplay replay,
      ReplayPlan plan,
      OpenSearchConnection connection,
      OperatorConfig.Ingesters settings) {
    PodSpec pod =
        IngesterWorkload.podSpec(
            plan.jobName(), connection, plan.ingester(), plan.geoIp(), settings);
    // The Job restarts a failed run with a new pod (which resumes from the checkpoint).
    pod.setRestartPolicy("Never");
    Map<String, String> labels = labels(replay, plan.jobName());
    return new JobBuilder()
        .withNewMetadata()
        .withName(plan.jobName())
        .withNamespace(replay.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(OwnerReferences.controller(replay))
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(BACKOFF_LIMIT)
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withSpec(pod)
        .endTemplate()
        .endSpec()
        .build();
  }
}
