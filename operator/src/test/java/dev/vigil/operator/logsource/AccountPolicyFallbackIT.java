package dev.vigil.operator.logsource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.api.v1alpha1.LogSourceSpec;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.RealParts;
import dev.vigil.testing.RealPartsExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code subscriptionLevel: Account} where the account-level policy cannot express the LogSource's
 * patterns (it can only select every group): the member account is subscribed per group on the
 * emulator, no account-policy call is made, and the account's result and the rollout say why. (The
 * policy itself is checked in {@link AccountSubscriptionPolicyNotInMotoTest}: moto has no account
 * policies.)
 */
@ExtendWith(RealPartsExtension.class)
class AccountPolicyFallbackIT {
  private final MotoServer moto = RealParts.moto();
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  @Test
  void narrowerPatternsThanEveryGroupFallBackToPerGroupFiltersAndSaySo() {
    MotoOrganization organization = new MotoOrganization(moto.endpoint(), metrics);
    String tag = "fallback-" + UUID.randomUUID().toString().substring(0, 8);
    String member = organization.createAccount(tag);
    String group = "/aws/lambda/" + tag;
    try (var logs = organization.logsIn(member)) {
      logs.createLogGroup(r -> r.logGroupName(group));
    }
    List<String> others =
        organization.organizations().activeAccounts().stream()
            .map(OrganizationsApi.Account::id)
            .filter(id -> !id.equals(member))
            .toList();
    LogSource source = MotoOrganization.cloudWatchEverywhere(tag, "/aws/lambda/*", others);
    source.getSpec().cloudWatchLogs.subscriptionLevel = LogSourceSpec.SubscriptionLevel.Account;

    MemberAccounts.Rollout rollout =
        new MemberAccounts(
                (spec, role) -> MotoOrganization.clients(moto.endpoint(), role, metrics),
                1,
                SubscriptionMemory.none())
            .apply(source, MotoOrganization.clients(moto.endpoint(), null, metrics));

    assertThat(rollout.failed()).isEmpty();
    assertThat(rollout.subscriptions().subscribed()).containsExactly(member + ":" + group);
    assertThat(rollout.accountLevel().policies()).isZero();
    assertThat(rollout.accountLevel().perGroup())
        .singleElement()
        .asString()
        .startsWith(member + ": ")
        .contains("logGroupPatterns [\"*\"]");
    assertThat(rollout.accounts().get(0).message).contains("per-group filters");
    try (var logs = organization.logsIn(member)) {
      assertThat(logs.describeSubscriptionFilters(r -> r.logGroupName(group)).subscriptionFilters())
          .extracting(f -> f.filterName())
          .containsExactly(LogSourceNames.of(source).subscriptionFilter());
    }
    assertThat(
            metrics
                .find("vigil_aws_calls_total")
                .tag("operation", "DescribeAccountPolicies")
                .counters())
        .isEmpty();
  }
}
