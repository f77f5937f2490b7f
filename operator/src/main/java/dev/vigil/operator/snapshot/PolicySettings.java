package dev.vigil.operator.snapshot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.api.v1alpha1.LogTypeName;
import dev.vigil.api.v1alpha1.SnapshotPolicy;
import dev.vigil.api.v1alpha1.SnapshotPolicySpec;
import dev.vigil.api.v1alpha1.SnapshotPolicySpec.HotRetention;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.IndexNaming;
import dev.vigil.core.rules.Durations;
import dev.vigil.core.snapshot.CronSchedule;
import dev.vigil.core.snapshot.SnapshotNames;
import dev.vigil.core.snapshot.SnapshotRetention;
import dev.vigil.operator.common.InvalidSpecException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A SnapshotPolicy's spec, checked and with defaults applied: what the schema cannot check (cron
 * field values, minCount against maxCount, log type {@code auto}) becomes an {@link
 * InvalidSpecException} naming the field.
 */
public record PolicySettings(
    String namespace,
    String name,
    SnapshotNames names,
    CronSchedule schedule,
    String repository,
    ObjectNode repositoryBody,
    List<String> indices,
    SnapshotRetention retention,
    List<HotRule> hotRules,
    String connection,
    SnapshotPolicySpec.Engine engine) {

  /** Hot retention for one index pattern. */
  public record HotRule(String id, String pattern, Duration maxAge, boolean requireSnapshot) {}

  public static PolicySettings from(SnapshotPolicy policy) throws InvalidSpecException {
    SnapshotPolicySpec spec = policy.getSpec();
    if (spec == null || spec.repository == null || spec.schedule == null) {
      throw new InvalidSpecException("spec.repository and spec.schedule are required");
    }
    String namespace = policy.getMetadata().getNamespace();
    String name = policy.getMetadata().getName();
    CronSchedule cron;
    try {
      cron = CronSchedule.parse(spec.schedule);
    } catch (IllegalArgumentException e) {
      throw new InvalidSpecException("spec.schedule: " + e.getMessage());
    }
    List<String> indices =
        spec.indices == null || spec.indices.isEmpty() ? List.of("vigil-*") : spec.indices;
    return new PolicySettings(
        namespace,
        name,
        SnapshotNames.forPolicy(namespace, name),
        cron,
        spec.repository.name,
        repositoryBody(spec.repository),
        indices,
        retention(spec.retention),
        hotRules(spec.hotRetention),
        spec.connectionRef == null || spec.connectionRef.name == null
            ? "default"
            : spec.connectionRef.name,
        spec.engine == null ? SnapshotPolicySpec.Engine.Auto : spec.engine);
  }

  /** Metadata stored with every snapshot, so it can be traced back to its SnapshotPolicy. */
  public Map<String, String> snapshotMetadata() {
    return Map.of("taken_by", "vigil", "snapshot_policy", namespace + "/" + name);
  }

  private static ObjectNode repositoryBody(SnapshotPolicySpec.Repository repository)
      throws InvalidSpecException {
    ObjectNode body = SnapshotApi.JSON.createObjectNode();
    ObjectNode settings;
    switch (repository.type) {
      case S3 -> {
        if (repository.s3 == null || repository.s3.bucket == null) {
          throw new InvalidSpecException("spec.repository.s3.bucket is required for type S3");
        }
        body.put("type", "s3");
        settings = body.putObject("settings");
        settings.put("bucket", repository.s3.bucket);
        if (repository.s3.basePath != null) {
          settings.put("base_path", repository.s3.basePath);
        }
        if (repository.s3.region != null) {
          settings.put("region", repository.s3.region);
        }
        if (repository.s3.roleArn != null) {
          settings.put("role_arn", repository.s3.roleArn);
        }
      }
      case Fs -> {
        if (repository.fs == null || repository.fs.location == null) {
          throw new InvalidSpecException("spec.repository.fs.location is required for type Fs");
        }
        body.put("type", "fs");
        settings = body.putObject("settings");
        settings.put("location", repository.fs.location);
      }
      default -> throw new InvalidSpecException("spec.repository.type is required");
    }
    return body;
  }

  private static SnapshotRetention retention(SnapshotPolicySpec.Retention retention)
      throws InvalidSpecException {
    if (retention == null) {
      return SnapshotRetention.keepAll();
    }
    Duration maxAge =
        InvalidSpecException.reading(
            () -> Durations.parse(retention.maxAge, "spec.retention.maxAge", null));
    int minCount = retention.minCount == null ? 1 : retention.minCount;
    try {
      return new SnapshotRetention(maxAge, retention.maxCount, minCount);
    } catch (IllegalArgumentException e) {
      throw new InvalidSpecException("spec.retention: " + e.getMessage());
    }
  }

  private static List<HotRule> hotRules(List<HotRetention> rules) throws InvalidSpecException {
    List<HotRule> result = new ArrayList<>();
    if (rules == null) {
      return result;
    }
    for (int i = 0; i < rules.size(); i++) {
      HotRetention rule = rules.get(i);
      String field = "spec.hotRetention[" + i + "]";
      Duration maxAge =
          InvalidSpecException.reading(() -> Durations.parse(rule.maxAge, field + ".maxAge", null));
      if (maxAge == null) {
        throw new InvalidSpecException(field + ".maxAge is required");
      }
      String pattern;
      String id;
      if (rule.logType != null) {
        if (rule.logType == LogTypeName.auto) {
          throw new InvalidSpecException(
              field + ".logType: 'auto' names no indices; use a log type such as cloudtrail");
        }
        LogType type = LogType.fromId(rule.logType.name()).orElseThrow();
        pattern = IndexNaming.defaults().pattern(type);
        id = type.id();
      } else if (rule.indexPattern != null && !rule.indexPattern.isBlank()) {
        pattern = rule.indexPattern.trim();
        if (pattern.equals("*") || pattern.startsWith(".") || pattern.startsWith("*")) {
          throw new InvalidSpecException(
              field + ".indexPattern: '" + pattern + "' would reach beyond log indices");
        }
        id = "p" + Integer.toHexString(pattern.hashCode());
      } else {
        throw new InvalidSpecException(field + ": set logType or indexPattern");
      }
      result.add(
          new HotRule(id, pattern, maxAge, rule.requireSnapshot == null || rule.requireSnapshot));
    }
    return result;
  }
}
