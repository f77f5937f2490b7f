package dev.vigil.operator.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.LogReplay;
import dev.vigil.api.v1alpha1.LogSource;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/** What a LogReplay takes from its LogSource, and what it sets itself. */
class ReplayPlanTest {
  static final LogSource SOURCE =
      Serialization.unmarshal(
          """
          apiVersion: siem.vigil.dev/v1alpha1
          kind: LogSource
          metadata: {name: trail, namespace: sec}
          spec:
            connectionRef: {name: archive-cluster}
            logType: cloudtrail
            s3: {bucket: acme-log-archive, prefix: AWSLogs/o-abc/}
            aws: {region: eu-west-1, roleArn: 'arn:aws:iam::111122223333:role/reader', externalId: x}
          """,
          LogSource.class);

  static LogReplay replay(String spec) {
    return Serialization.unmarshal(
        """
        apiVersion: siem.vigil.dev/v1alpha1
        kind: LogReplay
        metadata: {name: audit, namespace: sec, uid: u-1}
        spec:
        """
            + spec.indent(2),
        LogReplay.class);
  }

  @Test
  void aReplayOfALogSourceTakesItsBucketRoleTypeAndConnection() {
    ReplayPlan plan =
        ReplayPlan.of(
            replay("logSourceRef: {name: trail}\nfrom: 2025-03-01\nto: 2025-03-31\n"),
            SOURCE,
            "us-east-1");
    assertThat(plan.bucket()).isEqualTo("acme-log-archive");
    assertThat(plan.prefix()).isEqualTo("AWSLogs/o-abc/");
    assertThat(plan.region()).isEqualTo("eu-west-1");
    assertThat(plan.roleArn()).isEqualTo("arn:aws:iam::111122223333:role/reader");
    assertThat(plan.externalId()).isEqualTo("x");
    assertThat(plan.logType()).isEqualTo("cloudtrail");
    assertThat(plan.connection()).isEqualTo("archive-cluster");
    assertThat(plan.indexPrefix()).isNull(); // the ingester's default
    assertThat(plan.jobName()).isEqualTo("vigil-replay-audit");
    assertThat(plan.checkpoint())
        .isEqualTo("s3://acme-log-archive/vigil-checkpoints/sec/logreplays/audit/u-1.json");
    assertThat(plan.deadLetterPrefix()).isEqualTo("vigil-dead-letters/sec/logreplays/audit/");
  }

  @Test
  void theReplaysOwnFieldsWin() {
    ReplayPlan plan =
        ReplayPlan.of(
            replay(
                "logSourceRef: {name: trail}\nprefix: AWSLogs/o-abc/2222/\nlogType: auto\n"
                    + "connectionRef: {name: default}\nindexPrefix: audit\nfrom: 2025-03-01\nto: 2025-03-31\n"),
            SOURCE,
            "us-east-1");
    assertThat(plan.prefix()).isEqualTo("AWSLogs/o-abc/2222/");
    assertThat(plan.logType()).isEqualTo("auto");
    assertThat(plan.connection()).isEqualTo("default");
    assertThat(plan.indexPrefix()).isEqualTo("audit");
  }

  @Test
  void aBucketOfItsOwnUsesTheOperatorsRegionAndDefaults() {
    ReplayPlan plan =
        ReplayPlan.of(
            replay("s3: {bucket: old-archive}\nfrom: 2024-01-01\nto: 2024-01-31\n"),
            null,
            "us-east-1");
    assertThat(plan.bucket()).isEqualTo("old-archive");
    assertThat(plan.prefix()).isEmpty();
    assertThat(plan.region()).isEqualTo("us-east-1");
    assertThat(plan.roleArn()).isNull();
    assertThat(plan.logType()).isEqualTo("auto");
    assertThat(plan.connection()).isEqualTo("default");
  }

  @Test
  void aLongNameKeepsTheJobNameALabelValue() {
    LogReplay replay = replay("s3: {bucket: b}\nfrom: 2024-01-01\nto: 2024-01-31\n");
    replay.getMetadata().setName("a".repeat(100));
    assertThat(ReplayPlan.jobName(replay)).hasSize(63).startsWith("vigil-replay-aaa");
  }
}
