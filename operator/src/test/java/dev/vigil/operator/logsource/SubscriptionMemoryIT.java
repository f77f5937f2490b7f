package dev.vigil.operator.logsource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.RealParts;
import dev.vigil.testing.RealPartsExtension;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.cloudwatchlogs.model.SubscriptionFilter;

/**
 * The steady state of a cloudwatch LogSource over member accounts on the emulator: with {@link
 * SubscriptionMemory}, a pass where nothing changed costs one DescribeLogGroups per account
 * (counted by the operator's own {@code vigil_aws_calls_total}); a log group created since is
 * subscribed by the next pass; a filter deleted by hand is repaired by the full re-check once the
 * full-check interval has passed.
 */
@ExtendWith(RealPartsExtension.class)
class SubscriptionMemoryIT {
  private static final Duration FULL_CHECK = Duration.ofHours(1);
  private final MotoServer moto = RealParts.moto();
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-12-06T12:00:00Z"));

  @Test
  void aSteadyPassListsGroupsOnlyNewGroupsAreSubscribedAndTheFullCheckRepairsDrift() {
    MotoOrganization organization = new MotoOrganization(moto.endpoint(), metrics);
    String tag = "remembered-" + UUID.randomUUID().toString().substring(0, 8);
    String prefix = "/aws/lambda/" + tag + "-";
    List<String> members = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String account = organization.createAccount(tag + "-" + i);
      members.add(account);
      try (var logs = organization.logsIn(account)) {
        logs.createLogGroup(r -> r.logGroupName(prefix + "a"));
        logs.createLogGroup(r -> r.logGroupName(prefix + "b"));
        logs.createLogGroup(r -> r.logGroupName("/ecs/" + tag));
      }
    }
    List<String> others =
        organization.organizations().activeAccounts().stream()
            .map(OrganizationsApi.Account::id)
            .filter(id -> !members.contains(id))
            .toList();
    LogSource source = MotoOrganization.cloudWatchEverywhere(tag, prefix + "*", others);
    // As the reconciler does: one client set per role, kept between passes.
    Map<String, AwsClients> clients = new ConcurrentHashMap<>();
    MemberAccounts accounts =
        new MemberAccounts(
            (spec, role) ->
                clients.computeIfAbsent(
                    role, r -> MotoOrganization.clients(moto.endpoint(), r, metrics)),
            2,
            new SubscriptionMemory(FULL_CHECK, now::get));
    AwsClients organizationClients = MotoOrganization.clients(moto.endpoint(), null, metrics);

    Map<String, Double> first = pass(accounts, source, organizationClients, 6);
    assertThat(first).containsEntry("PutSubscriptionFilter", 6.0);

    // Nothing changed: one listing per account, no filter read, no stream read.
    now.set(now.get().plusSeconds(300));
    Map<String, Double> steady = pass(accounts, source, organizationClients, 6);
    assertThat(steady).containsExactly(Map.entry("DescribeLogGroups", 3.0));

    // A new group in one account is described and subscribed by the next pass, alone.
    String fresh = prefix + "c";
    try (var logs = organization.logsIn(members.get(0))) {
      logs.createLogGroup(r -> r.logGroupName(fresh));
    }
    Map<String, Double> grown = pass(accounts, source, organizationClients, 7);
    assertThat(grown)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "DescribeLogGroups", 3.0,
                "DescribeSubscriptionFilters", 1.0,
                "PutSubscriptionFilter", 1.0));
    assertThat(filters(organization, members.get(0), fresh)).hasSize(1);

    // A filter deleted by hand stays gone until the full-check interval has passed ...
    String filter = LogSourceNames.of(source).subscriptionFilter();
    try (var logs = organization.logsIn(members.get(1))) {
      logs.deleteSubscriptionFilter(r -> r.logGroupName(prefix + "a").filterName(filter));
    }
    now.set(now.get().plus(FULL_CHECK).minusSeconds(301));
    assertThat(pass(accounts, source, organizationClients, 7))
        .containsExactly(Map.entry("DescribeLogGroups", 3.0));
    assertThat(filters(organization, members.get(1), prefix + "a")).isEmpty();

    // ... and the full re-check after it reads every group's filters and puts this one back.
    now.set(now.get().plusSeconds(1));
    Map<String, Double> full = pass(accounts, source, organizationClients, 7);
    assertThat(full)
        .containsEntry("DescribeSubscriptionFilters", 7.0)
        .containsEntry("DescribeDeliveryStream", 3.0)
        .containsEntry("PutSubscriptionFilter", 1.0);
    assertThat(filters(organization, members.get(1), prefix + "a"))
        .extracting(SubscriptionFilter::filterName)
        .containsExactly(filter);

    // Forgotten (the LogSource deleted): the next pass is a full one.
    accounts.forget(source.getMetadata().getUid());
    assertThat(pass(accounts, source, organizationClients, 7))
        .containsEntry("DescribeSubscriptionFilters", 7.0);
  }

  /**
   * One pass, checked to leave every account ready and {@code groups} groups subscribed; its AWS
   * calls by operation, outside Organizations (the listing of accounts is the organization's, not
   * an account's).
   */
  private Map<String, Double> pass(
      MemberAccounts accounts, LogSource source, AwsClients organizationClients, int groups) {
    Map<String, Double> before = calls();
    MemberAccounts.Rollout rollout = accounts.apply(source, organizationClients);
    assertThat(rollout.failed()).isEmpty();
    assertThat(rollout.accounts()).hasSize(3).allSatisfy(r -> assertThat(r.ready).isTrue());
    assertThat(rollout.subscriptions().subscribed()).hasSize(groups);
    Map<String, Double> delta = new TreeMap<>();
    calls()
        .forEach(
            (operation, count) -> {
              double made = count - before.getOrDefault(operation, 0.0);
              if (made > 0) {
                delta.put(operation, made);
              }
            });
    return delta;
  }

  private Map<String, Double> calls() {
    Map<String, Double> out = new TreeMap<>();
    for (Counter c : metrics.find("vigil_aws_calls_total").counters()) {
      if (!"Organizations".equals(c.getId().getTag("service"))) {
        out.merge(c.getId().getTag("operation"), c.count(), Double::sum);
      }
    }
    return out;
  }

  private static List<SubscriptionFilter> filters(
      MotoOrganization organization, String account, String group) {
    try (var logs = organization.logsIn(account)) {
      return logs.describeSubscriptionFilters(r -> r.logGroupName(group)).subscriptionFilters();
    }
  }
}
