package dev.vigil.operator.monitoring;

import dev.vigil.api.v1alpha1.OpenSearchConnectionSpec.CloudWatchAlarms;
import dev.vigil.operator.monitoring.CloudWatchQueryApi.Alarm;
import dev.vigil.operator.monitoring.CloudWatchQueryApi.CloudWatchException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The CloudWatch alarms AWS recommends for an Amazon OpenSearch Service domain ("Recommended
 * CloudWatch alarms for Amazon OpenSearch Service"), each notifying an SNS topic when it fires and
 * when it recovers. Alarms are named {@code vigil-<domain>-<metric>}; only alarms that differ from
 * the recommendation are written, and Vigil's alarms no longer wanted are deleted.
 */
public final class DomainAlarms {
  /**
   * One recommended alarm: metric, statistic, period (s), evaluation periods, operator, threshold.
   */
  record Recommendation(
      String metric,
      String statistic,
      int period,
      int evaluationPeriods,
      String operator,
      int threshold,
      String why) {}

  static final int DEFAULT_FREE_STORAGE_MIB = 20480;
  private static final String NAMESPACE = "AWS/ES";
  private static final String GTE = "GreaterThanOrEqualToThreshold";

  private DomainAlarms() {}

  static List<Recommendation> recommendations(CloudWatchAlarms spec) {
    int freeStorage =
        spec.freeStorageThresholdMiB == null
            ? DEFAULT_FREE_STORAGE_MIB
            : spec.freeStorageThresholdMiB;
    return List.of(
        new Recommendation(
            "ClusterStatus.red",
            "Maximum",
            60,
            1,
            GTE,
            1,
            "At least one primary shard and its replicas are not allocated to a node."),
        new Recommendation(
            "ClusterStatus.yellow",
            "Maximum",
            60,
            5,
            GTE,
            1,
            "At least one replica shard is not allocated to a node."),
        new Recommendation(
            "FreeStorageSpace",
            "Minimum",
            60,
            1,
            "LessThanOrEqualToThreshold",
            freeStorage,
            "A node is down to " + freeStorage + " MiB of free storage."),
        new Recommendation(
            "ClusterIndexWritesBlocked",
            "Maximum",
            300,
            1,
            GTE,
            1,
            "The cluster is blocking write requests."),
        new Recommendation(
            "AutomatedSnapshotFailure",
            "Maximum",
            60,
            1,
            GTE,
            1,
            "An automated snapshot failed (often because the cluster is red)."),
        new Recommendation(
            "CPUUtilization",
            "Maximum",
            900,
            3,
            GTE,
            80,
            "Sustained CPU utilization at 80% or more."),
        new Recommendation(
            "JVMMemoryPressure",
            "Maximum",
            60,
            3,
            GTE,
            95,
            "JVM memory pressure at 95% or more: out-of-memory errors are near."));
  }

  static String prefix(String domain) {
    return "vigil-" + domain + "-";
  }

  static Map<String, String> parameters(CloudWatchAlarms spec, Recommendation r) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("AlarmName", prefix(spec.domainName) + r.metric());
    p.put("AlarmDescription", r.why() + " (managed by Vigil)");
    p.put("Namespace", NAMESPACE);
    p.put("MetricName", r.metric());
    p.put("Dimensions.member.1.Name", "DomainName");
    p.put("Dimensions.member.1.Value", spec.domainName);
    p.put("Dimensions.member.2.Name", "ClientId");
    p.put("Dimensions.member.2.Value", spec.accountId);
    p.put("Statistic", r.statistic());
    p.put("Period", Integer.toString(r.period()));
    p.put("EvaluationPeriods", Integer.toString(r.evaluationPeriods()));
    p.put("Threshold", Integer.toString(r.threshold()));
    p.put("ComparisonOperator", r.operator());
    p.put("TreatMissingData", "missing");
    p.put("ActionsEnabled", "true");
    p.put("AlarmActions.member.1", spec.snsTopicArn);
    p.put("OKActions.member.1", spec.snsTopicArn);
    p.put("Tags.member.1.Key", "app.kubernetes.io/managed-by");
    p.put("Tags.member.1.Value", "vigil");
    return p;
  }

  /** Creates or corrects the domain's alarms; returns how many alarms it wrote or deleted. */
  public static int ensure(CloudWatchQueryApi cloudWatch, CloudWatchAlarms spec)
      throws CloudWatchException {
    Map<String, Alarm> existing = existing(cloudWatch, spec.domainName);
    int writes = 0;
    List<String> wanted = new ArrayList<>();
    for (Recommendation r : recommendations(spec)) {
      Map<String, String> desired = parameters(spec, r);
      wanted.add(desired.get("AlarmName"));
      Alarm actual = existing.get(desired.get("AlarmName"));
      if (actual == null || !matches(actual, desired, spec)) {
        cloudWatch.putMetricAlarm(desired);
        writes++;
      }
    }
    List<String> stale =
        existing.keySet().stream().filter(name -> !wanted.contains(name)).sorted().toList();
    cloudWatch.deleteAlarms(stale);
    return writes + stale.size();
  }

  /** Deletes the domain's Vigil alarms (nothing else); returns how many. */
  public static int delete(CloudWatchQueryApi cloudWatch, String domain)
      throws CloudWatchException {
    List<String> names = new ArrayList<>(existing(cloudWatch, domain).keySet());
    cloudWatch.deleteAlarms(names);
    return names.size();
  }

  private static Map<String, Alarm> existing(CloudWatchQueryApi cloudWatch, String domain)
      throws CloudWatchException {
    Map<String, Alarm> alarms = new LinkedHashMap<>();
    for (Alarm alarm : cloudWatch.describeAlarms(prefix(domain))) {
      alarms.put(alarm.name(), alarm);
    }
    return alarms;
  }

  private static boolean matches(Alarm actual, Map<String, String> desired, CloudWatchAlarms spec) {
    for (String field :
        List.of(
            "Namespace",
            "MetricName",
            "Statistic",
            "Period",
            "EvaluationPeriods",
            "ComparisonOperator")) {
      if (!Objects.equals(actual.fields().get(field), desired.get(field))) {
        return false;
      }
    }
    String threshold = actual.fields().get("Threshold");
    return threshold != null
        && new BigDecimal(threshold).compareTo(new BigDecimal(desired.get("Threshold"))) == 0
        && "true".equals(actual.fields().get("ActionsEnabled"))
        && new HashSet<>(actual.dimensions())
            .equals(
                new HashSet<>(
                    List.of("DomainName=" + spec.domainName, "ClientId=" + spec.accountId)))
        && actual.alarmActions().equals(List.of(spec.snsTopicArn))
        && actual.okActions().equals(List.of(spec.snsTopicArn));
  }
}
