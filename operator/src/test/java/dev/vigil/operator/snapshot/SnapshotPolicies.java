package dev.vigil.operator.snapshot;

import dev.vigil.api.v1alpha1.LogTypeName;
import dev.vigil.api.v1alpha1.SnapshotPolicy;
import dev.vigil.api.v1alpha1.SnapshotPolicySpec;
import dev.vigil.api.v1alpha1.SnapshotPolicySpec.HotRetention;
import dev.vigil.operator.opensearch.OpenSearchEndpoint;
import dev.vigil.operator.opensearch.OpenSearchRest;
import dev.vigil.operator.opensearch.RequestAuth;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** SnapshotPolicy objects and clients for tests. */
public final class SnapshotPolicies {
  private SnapshotPolicies() {}

  public static SnapshotPolicy fs(String namespace, String name, String location, String schedule) {
    SnapshotPolicy policy = new SnapshotPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    SnapshotPolicySpec spec = new SnapshotPolicySpec();
    spec.repository = new SnapshotPolicySpec.Repository();
    spec.repository.name = name + "-repo";
    spec.repository.type = SnapshotPolicySpec.RepositoryType.Fs;
    spec.repository.fs = new SnapshotPolicySpec.FsRepository();
    spec.repository.fs.location = location;
    spec.schedule = schedule;
    policy.setSpec(spec);
    return policy;
  }

  public static SnapshotPolicySpec.Retention retention(
      String maxAge, Integer maxCount, Integer minCount) {
    SnapshotPolicySpec.Retention retention = new SnapshotPolicySpec.Retention();
    retention.maxAge = maxAge;
    retention.maxCount = maxCount;
    retention.minCount = minCount;
    return retention;
  }

  public static HotRetention hot(
      LogTypeName type, String pattern, String maxAge, boolean requireSnapshot) {
    HotRetention rule = new HotRetention();
    rule.logType = type;
    rule.indexPattern = pattern;
    rule.maxAge = maxAge;
    rule.requireSnapshot = requireSnapshot;
    return rule;
  }

  static OpenSearchRest rest(URI uri) {
    return new OpenSearchRest(
        new OpenSearchEndpoint(
            URI.create(uri.toString().endsWith("/") ? uri.toString() : uri + "/"),
            RequestAuth.NONE,
            null,
            false,
            Duration.ofSeconds(30)));
  }

  static List<String> list(String... items) {
    return List.of(items);
  }
}
