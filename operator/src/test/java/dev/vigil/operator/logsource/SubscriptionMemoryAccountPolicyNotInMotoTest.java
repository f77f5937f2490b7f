package dev.vigil.operator.logsource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.api.v1alpha1.LogSourceSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * An account covered by Vigil's account-level subscription policy, between full passes: one
 * DescribeAccountPolicies per pass, no listing of log groups; a foreign policy in the slot sends
 * the account back to a full pass. moto has no account policies, so the SDK's requests go to {@link
 * AccountPoliciesContractServer}.
 */
class SubscriptionMemoryAccountPolicyNotInMotoTest {
  private static final String ACCOUNT = "111111111111";
  private final AccountPoliciesContractServer server = start();
  private final AwsClients aws;
  private final SubscriptionMemory memory =
      new SubscriptionMemory(Duration.ofHours(1), () -> Instant.parse("2026-12-06T12:00:00Z"));

  SubscriptionMemoryAccountPolicyNotInMotoTest() {
    System.setProperty("aws.accessKeyId", "testing");
    System.setProperty("aws.secretAccessKey", "testing");
    aws =
        new AwsClients(
            Region.EU_WEST_1,
            Optional.of(server.uri()),
            true,
            null,
            null,
            MotoOrganization.LIMITS,
            new SimpleMeterRegistry());
  }

  private static AccountPoliciesContractServer start() {
    try {
      return new AccountPoliciesContractServer();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aCoveredAccountCostsOneDescribeAccountPoliciesPerPassUntilAForeignPolicyTakesTheSlot() {
    LogSource source = MotoOrganization.cloudWatchEverywhere("policy", "*", List.of());
    source.getSpec().cloudWatchLogs.subscriptionLevel = LogSourceSpec.SubscriptionLevel.Account;
    source.getSpec().cloudWatchLogs.destinationArn =
        "arn:aws:firehose:eu-west-1:" + ACCOUNT + ":deliverystream/central";

    AwsProvisioning.AccountPieces full = AwsProvisioning.applyInAccount(source, aws, r -> r);
    assertThat(full.accountPolicy()).isTrue();
    assertThat(full.perGroupBecause()).isNull();
    memory.remember(source, ACCOUNT, full);
    assertThat(server.operations())
        .containsExactly("DescribeAccountPolicies", "PutAccountPolicy", "DescribeLogGroups");

    int before = server.operations().size();
    AwsProvisioning.AccountPieces quick = memory.quickPass(source, ACCOUNT, aws, r -> r);
    assertThat(quick.accountPolicy()).isTrue();
    assertThat(server.operations().subList(before, server.operations().size()))
        .containsExactly("DescribeAccountPolicies");

    // Someone replaced Vigil's policy with theirs: a full pass is due (which then falls back).
    String name = LogSourceNames.of(source).subscriptionFilter();
    aws.logs.deleteAccountPolicy(r -> r.policyName(name).policyType("SUBSCRIPTION_FILTER_POLICY"));
    server.holds("SUBSCRIPTION_FILTER_POLICY", "central-logging", "{\"DestinationArn\":\"x\"}");
    assertThat(memory.quickPass(source, ACCOUNT, aws, r -> r)).isNull();
    AwsProvisioning.AccountPieces fallback = AwsProvisioning.applyInAccount(source, aws, r -> r);
    assertThat(fallback.accountPolicy()).isFalse();
    assertThat(fallback.perGroupBecause()).contains("'central-logging'");
    assertThat(server.policies("SUBSCRIPTION_FILTER_POLICY")).containsOnlyKeys("central-logging");
  }
}
