package dev.vigil.operator.logsource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.RealParts;
import dev.vigil.testing.RealPartsExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A pass over member accounts while AWS throttles a third of the control-plane calls (STS,
 * Organizations, CloudWatch Logs, Firehose): the pass is slower, every account is still provisioned
 * and nothing is reported failed. The throttling answers are AWS's documented errors, served by
 * {@link ThrottlingProxy} in front of the emulator.
 */
@ExtendWith(RealPartsExtension.class)
class MemberAccountsThrottlingIT {
  private final MotoServer moto = RealParts.moto();
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  @Test
  void throttledCallsAreRetriedAndNoAccountIsLostOrFailed() throws Exception {
    MotoOrganization organization = new MotoOrganization(moto.endpoint(), metrics);
    String tag = "throttled-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> members = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String account = organization.createAccount(tag + "-" + i);
      members.add(account);
      try (var logs = organization.logsIn(account)) {
        for (int g = 0; g < i % 3 + 1; g++) {
          String group = "/aws/lambda/" + tag + "-" + g;
          logs.createLogGroup(r -> r.logGroupName(group));
        }
      }
    }
    List<String> others =
        organization.organizations().activeAccounts().stream()
            .map(OrganizationsApi.Account::id)
            .filter(id -> !members.contains(id))
            .toList();
    LogSource source =
        MotoOrganization.cloudWatchEverywhere(tag, "/aws/lambda/" + tag + "-*", others);

    try (ThrottlingProxy proxy = new ThrottlingProxy(moto.endpoint())) {
      proxy.throttle(0.3);
      MemberAccounts accounts =
          new MemberAccounts(
              (spec, role) -> MotoOrganization.clients(proxy.uri(), role, metrics),
              4,
              SubscriptionMemory.none());
      MemberAccounts.Rollout rollout =
          accounts.apply(source, MotoOrganization.clients(proxy.uri(), null, metrics));

      assertThat(rollout.failed()).isEmpty();
      assertThat(rollout.accounts())
          .extracting(r -> r.accountId)
          .containsExactlyElementsOf(members.stream().sorted().toList());
      assertThat(rollout.accounts()).allSatisfy(r -> assertThat(r.ready).isTrue());
      // 1 + 2 + 3 + 1 + 2 + 3 groups across the six accounts.
      assertThat(rollout.subscriptions().subscribed()).hasSize(12);
      // The proxy did throttle, and the operator counted what it retried.
      assertThat(proxy.throttled()).isNotEmpty();
      double retried =
          metrics.find(AwsClients.RetryCounter.NAME).tag("reason", "throttling").counters().stream()
              .mapToDouble(c -> c.count())
              .sum();
      long throttled = proxy.throttled().values().stream().mapToLong(Long::longValue).sum();
      assertThat(retried).isEqualTo((double) throttled);
    }
  }
}
