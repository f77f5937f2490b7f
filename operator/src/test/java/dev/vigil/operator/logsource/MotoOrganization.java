package dev.vigil.operator.logsource;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.api.v1alpha1.LogSourceSpec;
import dev.vigil.api.v1alpha1.LogTypeName;
import dev.vigil.operator.common.AwsCallLimits;
import dev.vigil.parts.MotoServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * An AWS Organization on the emulator: moto keeps each member account's resources apart behind the
 * credentials of a role assumed in that account. Its management account is the emulator's {@link
 * MotoServer#ACCOUNT_ID}.
 */
final class MotoOrganization {
  static final AwsCallLimits LIMITS =
      new AwsCallLimits(Duration.ofSeconds(60), Duration.ofSeconds(20));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final StaticCredentialsProvider TEST_CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

  private final URI endpoint;
  private final OrganizationsApi organizations;
  private final StsClient sts;

  MotoOrganization(URI endpoint, MeterRegistry metrics) {
    this.endpoint = endpoint;
    // What the SDK's default chain finds in the operator (here: the emulator's test user).
    System.setProperty("aws.accessKeyId", "testing");
    System.setProperty("aws.secretAccessKey", "testing");
    this.organizations = new OrganizationsApi(endpoint, TEST_CREDENTIALS, LIMITS, metrics);
    this.sts =
        StsClient.builder()
            .endpointOverride(endpoint)
            .region(MotoServer.REGION)
            .credentialsProvider(TEST_CREDENTIALS)
            .build();
    try {
      organizations.call("CreateOrganization", JSON.createObjectNode().put("FeatureSet", "ALL"));
    } catch (AwsServiceException e) {
      if (!"AlreadyInOrganizationException".equals(e.awsErrorDetails().errorCode())) {
        throw e;
      }
    }
  }

  OrganizationsApi organizations() {
    return organizations;
  }

  /** A new member account's id. */
  String createAccount(String name) {
    return organizations
        .call(
            "CreateAccount",
            JSON.createObjectNode().put("AccountName", name).put("Email", name + "@example.com"))
        .path("CreateAccountStatus")
        .path("AccountId")
        .asText();
  }

  /** CloudWatch Logs in a member account, as a role assumed there. */
  CloudWatchLogsClient logsIn(String account) {
    var credentials =
        sts.assumeRole(
                r ->
                    r.roleArn("arn:aws:iam::" + account + ":role/test-admin")
                        .roleSessionName("test"))
            .credentials();
    return CloudWatchLogsClient.builder()
        .endpointOverride(endpoint)
        .region(MotoServer.REGION)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsSessionCredentials.create(
                    credentials.accessKeyId(),
                    credentials.secretAccessKey(),
                    credentials.sessionToken())))
        .build();
  }

  /** The operator's clients for a role, talking to {@code endpoint} (the emulator or a proxy). */
  static AwsClients clients(URI endpoint, String role, MeterRegistry metrics) {
    return new AwsClients(
        MotoServer.REGION, Optional.of(endpoint), true, role, null, LIMITS, metrics);
  }

  /**
   * A cloudwatch LogSource over every account but {@code excluded}, subscribing groups that match
   * {@code pattern} to a Firehose stream Vigil makes in each account.
   */
  static LogSource cloudWatchEverywhere(String name, String pattern, List<String> excluded) {
    LogSource source = new LogSource();
    source.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("bench")
            .withUid(java.util.UUID.randomUUID().toString())
            .build());
    LogSourceSpec spec = new LogSourceSpec();
    spec.logType = LogTypeName.cloudwatch;
    spec.s3 = new LogSourceSpec.S3Location();
    spec.s3.bucket = "org-log-archive";
    spec.s3.prefix = "cloudwatch/";
    spec.aws = new LogSourceSpec.AwsAccess();
    spec.aws.roleArn = "arn:aws:iam::" + MotoServer.ACCOUNT_ID + ":role/vigil-access";
    spec.aws.allOrganizationAccounts = true;
    spec.aws.excludedAccounts = List.copyOf(excluded);
    spec.cloudWatchLogs = new LogSourceSpec.CloudWatchLogs();
    spec.cloudWatchLogs.logGroupPatterns = List.of(pattern);
    spec.cloudWatchLogs.firehoseRoleArn =
        "arn:aws:iam::" + MotoServer.ACCOUNT_ID + ":role/vigil-firehose";
    spec.cloudWatchLogs.subscriptionRoleArn =
        "arn:aws:iam::" + MotoServer.ACCOUNT_ID + ":role/vigil-cwl";
    source.setSpec(spec);
    return source;
  }
}
