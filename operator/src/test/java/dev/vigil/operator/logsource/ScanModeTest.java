package dev.vigil.operator.logsource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.api.v1alpha1.LogSourceSpec;
import dev.vigil.api.v1alpha1.LogTypeName;
import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.api.v1alpha1.OpenSearchConnectionSpec;
import dev.vigil.operator.OperatorConfig;
import dev.vigil.operator.common.InvalidSpecException;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScanModeTest {
  private static final OperatorConfig.Aws AWS = TestSettings.aws(Optional.empty());
  private static final OperatorConfig.Ingesters INGESTERS = TestSettings.INGESTERS;

  private static LogSource source(LogSourceSpec.NotificationMode mode) {
    LogSource source = new LogSource();
    source.getMetadata().setName("flows");
    source.getMetadata().setNamespace("security");
    source.getMetadata().setUid("uid-1");
    LogSourceSpec spec = new LogSourceSpec();
    spec.logType = LogTypeName.vpcflow;
    spec.s3 = new LogSourceSpec.S3Location();
    spec.s3.bucket = "flow-logs";
    spec.s3.prefix = "AWSLogs/";
    spec.s3.suffix = ".log.gz";
    spec.notifications = new LogSourceSpec.Notifications();
    spec.notifications.mode = mode;
    spec.notifications.scanInterval = "2m";
    source.setSpec(spec);
    return source;
  }

  private static OpenSearchConnection connection() {
    OpenSearchConnection connection = new OpenSearchConnection();
    connection.getMetadata().setName("default");
    connection.setSpec(new OpenSearchConnectionSpec());
    connection.getSpec().endpoint = "https://search.example:9200";
    return connection;
  }

  @Test
  void anAdoptedQueueWithModeScanIsAnInvalidSpecNamingTheField() {
    LogSource source = source(LogSourceSpec.NotificationMode.Scan);
    source.getSpec().notifications.queueArn = "arn:aws:sqs:eu-west-1:123456789012:team-queue";

    assertThatThrownBy(() -> AwsProvisioning.validate(source.getSpec()))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith("spec.notifications.queueArn: mode Scan uses no queue");
  }

  @Test
  void scanModeConfiguresTheIngesterToListThePrefixWithACheckpointInTheBucket() throws Exception {
    LogSource source = source(LogSourceSpec.NotificationMode.Scan);
    AwsProvisioning.validate(source.getSpec());

    Map<String, String> p =
        IngesterWorkload.properties(source, connection(), null, "eu-west-1", AWS, false);

    assertThat(p)
        .containsEntry("vigil.ingester.mode", "scan")
        .containsEntry("vigil.ingester.scan.bucket", "flow-logs")
        .containsEntry("vigil.ingester.scan.prefix", "AWSLogs/")
        .containsEntry("vigil.ingester.scan.suffix", ".log.gz")
        .containsEntry("vigil.ingester.scan.interval", "2m")
        .containsEntry("vigil.ingester.scan.log-type", "vpcflow")
        .containsEntry(
            "vigil.ingester.scan.checkpoint",
            "s3://flow-logs/vigil-checkpoints/security/flows/scan.json")
        .doesNotContainKey("vigil.ingester.queues.logs.url");
  }

  @Test
  void aScanningIngesterIsRecreatedNeverRolledSoTwoNeverScanAtOnce() {
    LogSource scan = source(LogSourceSpec.NotificationMode.Scan);
    Deployment deployment =
        IngesterWorkload.deployment(
            scan, connection(), "vigil-ingester-flows", Map.of(), "", 1, INGESTERS);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(ScanMode.PLAN.replicas()).isEqualTo(1);

    LogSource queue = source(LogSourceSpec.NotificationMode.SQS);
    assertThat(
            IngesterWorkload.deployment(
                    queue, connection(), "vigil-ingester-flows", Map.of(), "", 3, INGESTERS)
                .getSpec()
                .getStrategy())
        .as("queue mode keeps Kubernetes' rolling update")
        .isNull();
  }
}
