package dev.vigil.operator.logsource;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.testing.IamPolicies;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * The emulator (moto 5.2.5) has no CloudWatch Logs account policies, so Vigil's requests are made
 * by the AWS SDK's own client — its service model and JSON marshaller — and checked by {@link
 * AccountPoliciesContractServer} against the API reference
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutAccountPolicy.html,
 * API_DescribeAccountPolicies.html) and the subscription filter policy document of
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CreateSubscriptionFilterFirehose-Account.html.
 * The fallback to per-group filters on the emulator is in {@code AccountPolicyFallbackIT}.
 */
class AccountSubscriptionPolicyNotInMotoTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NAME = "vigil-security-lambda";
  private static final String STREAM =
      "arn:aws:firehose:eu-west-1:111111111111:deliverystream/vigil-security-lambda";
  private static final String ROLE = "arn:aws:iam::111111111111:role/vigil-cwl";

  private final AccountPoliciesContractServer aws = start();
  private final CloudWatchLogsClient logs =
      CloudWatchLogsClient.builder()
          .endpointOverride(aws.uri())
          .region(Region.EU_WEST_1)
          .credentialsProvider(
              StaticCredentialsProvider.create(AwsBasicCredentials.create("key", "secret")))
          .build();
  private final AccountSubscriptionPolicy policy = new AccountSubscriptionPolicy(logs);

  private static AccountPoliciesContractServer start() {
    try {
      return new AccountPoliciesContractServer();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void stop() {
    logs.close();
    aws.close();
  }

  @Test
  void putsOnePolicyForEveryGroupOfTheAccountThenOnlyReadsIt() throws Exception {
    assertThat(policy.ensure(NAME, STREAM, ROLE, ""))
        .isEqualTo(new AccountSubscriptionPolicy.Applied(true));
    assertThat(aws.operations()).containsExactly("DescribeAccountPolicies", "PutAccountPolicy");
    JsonNode put = aws.bodies().get(1);
    assertThat(put.path("policyName").asText()).isEqualTo(NAME);
    assertThat(put.path("policyType").asText()).isEqualTo("SUBSCRIPTION_FILTER_POLICY");
    assertThat(put.path("scope").asText()).isEqualTo("ALL");
    assertThat(put.has("selectionCriteria")).isFalse();
    assertThat(JSON.readTree(put.path("policyDocument").asText()))
        .isEqualTo(
            JSON.createObjectNode()
                .put("DestinationArn", STREAM)
                .put("RoleArn", ROLE)
                .put("FilterPattern", ""));
    assertThat(aws.bodies().get(0))
        .isEqualTo(JSON.createObjectNode().put("policyType", "SUBSCRIPTION_FILTER_POLICY"));

    // In place as wanted: one DescribeAccountPolicies, nothing written.
    assertThat(policy.ensure(NAME, STREAM, ROLE, ""))
        .isEqualTo(new AccountSubscriptionPolicy.Applied(false));
    assertThat(aws.operations()).hasSize(3).endsWith("DescribeAccountPolicies");
  }

  @Test
  void aPolicyChangedByHandIsPutBack() {
    policy.ensure(NAME, STREAM, ROLE, "");
    aws.holds(
        "SUBSCRIPTION_FILTER_POLICY",
        NAME,
        "{\"DestinationArn\":\"" + STREAM + "\",\"FilterPattern\":\"ERROR\"}");
    assertThat(policy.ensure(NAME, STREAM, ROLE, ""))
        .isEqualTo(new AccountSubscriptionPolicy.Applied(true));
    assertThat(aws.policies("SUBSCRIPTION_FILTER_POLICY").get(NAME).path("policyDocument").asText())
        .isEqualTo(AccountSubscriptionPolicy.document(STREAM, ROLE, ""));
  }

  @Test
  void aForeignPolicyHoldingTheAccountsSlotIsReportedAndNeverReplaced() {
    String foreign =
        "{\"DestinationArn\":\"arn:aws:logs:eu-west-1:222222222222:destination:central\"}";
    aws.holds("SUBSCRIPTION_FILTER_POLICY", "central-logging", foreign);
    assertThat(policy.ensure(NAME, STREAM, ROLE, ""))
        .isEqualTo(new AccountSubscriptionPolicy.Taken("central-logging"));
    assertThat(aws.operations()).containsExactly("DescribeAccountPolicies");
    assertThat(aws.policies("SUBSCRIPTION_FILTER_POLICY")).containsOnlyKeys("central-logging");
    // Removing Vigil's (absent) policy leaves the foreign one.
    policy.remove(NAME);
    assertThat(aws.policies("SUBSCRIPTION_FILTER_POLICY")).containsOnlyKeys("central-logging");
  }

  @Test
  void removeDeletesVigilsPolicy() {
    policy.ensure(NAME, STREAM, null, "");
    policy.remove(NAME);
    assertThat(aws.policies("SUBSCRIPTION_FILTER_POLICY")).isEmpty();
    assertThat(aws.operations()).endsWith("DeleteAccountPolicy");
  }

  @Test
  void everyCallIsInTheDocumentedOperatorPolicy() {
    policy.ensure(NAME, STREAM, ROLE, "");
    policy.remove(NAME);
    assertThat(IamPolicies.documented("Operator policy"))
        .containsAll(aws.operations().stream().map(op -> "logs:" + op).toList());
  }

  @Test
  void onlyPatternsSelectingEveryGroupCanBeAnAccountPolicy() {
    assertThat(AccountSubscriptionPolicy.cannotExpress(List.of("*"))).isNull();
    assertThat(AccountSubscriptionPolicy.cannotExpress(List.of("/aws/lambda/*")))
        .contains("logGroupPatterns [\"*\"]");
  }
}
