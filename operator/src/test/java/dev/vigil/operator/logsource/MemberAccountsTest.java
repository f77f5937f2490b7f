package dev.vigil.operator.logsource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.api.v1alpha1.LogSourceSpec;
import dev.vigil.operator.common.InvalidSpecException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MemberAccountsTest {
  @Test
  void aRoleIsTakenByNameAndPathInTheMemberAccount() {
    assertThat(
            MemberAccounts.inAccount(
                "arn:aws:iam::111111111111:role/security/vigil-access", "222222222222"))
        .isEqualTo("arn:aws:iam::222222222222:role/security/vigil-access");
    assertThat(
            MemberAccounts.inAccount(
                "arn:aws-us-gov:iam::111111111111:role/vigil-cwl", "333333333333"))
        .isEqualTo("arn:aws-us-gov:iam::333333333333:role/vigil-cwl");
    assertThat(MemberAccounts.inAccount(null, "222222222222")).isNull();
  }

  @Test
  void theSpecNeedsARoleAndTwelveDigitExclusions() throws InvalidSpecException {
    LogSourceSpec.AwsAccess aws = new LogSourceSpec.AwsAccess();
    aws.allOrganizationAccounts = true;
    assertThatThrownBy(() -> MemberAccounts.validate(aws))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("spec.aws.roleArn");

    aws.roleArn = "arn:aws:iam::111111111111:role/vigil-access";
    aws.excludedAccounts = List.of("111111111111", "12345");
    assertThatThrownBy(() -> MemberAccounts.validate(aws))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessage("spec.aws.excludedAccounts[1]: not a 12-digit account id");

    aws.excludedAccounts = List.of("111111111111");
    MemberAccounts.validate(aws);
  }

  @Test
  void organizationalUnitsAreUnitOrRootIds() throws InvalidSpecException {
    LogSourceSpec.AwsAccess aws = new LogSourceSpec.AwsAccess();
    aws.allOrganizationAccounts = true;
    aws.roleArn = "arn:aws:iam::111111111111:role/vigil-access";
    aws.organizationalUnits = List.of("r-ab12", "ou-ab12-cdefgh34");
    aws.excludedOrganizationalUnits = List.of("ou-ab12-sandbox1");
    MemberAccounts.validate(aws);

    aws.organizationalUnits = List.of("r-ab12", "Production");
    assertThatThrownBy(() -> MemberAccounts.validate(aws))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessage(
            "spec.aws.organizationalUnits[1]: not an organizational unit id (ou-…) or root id"
                + " (r-…)");
    aws.organizationalUnits = null;
    aws.excludedOrganizationalUnits = List.of("111111111111");
    assertThatThrownBy(() -> MemberAccounts.validate(aws))
        .hasMessageStartingWith("spec.aws.excludedOrganizationalUnits[0]: not an organizational");
  }

  @Test
  void accountsRunConcurrentlyUpToTheSettingAndAnswerInAccountOrder() {
    int concurrency = 3;
    MemberAccounts accounts =
        new MemberAccounts((spec, role) -> null, concurrency, SubscriptionMemory.none());
    // Each item waits until `concurrency` items are inside at once: a serial run never gets there.
    CyclicBarrier together = new CyclicBarrier(concurrency);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<Integer> items = IntStream.range(0, 12).boxed().toList();

    List<String> answers =
        accounts.inParallel(
            items,
            i -> {
              most.accumulateAndGet(inside.incrementAndGet(), Math::max);
              try {
                together.await(60, TimeUnit.SECONDS);
              } catch (Exception e) {
                throw new IllegalStateException("items did not run " + concurrency + " at once", e);
              }
              inside.decrementAndGet();
              return "account-" + i;
            });

    assertThat(answers).containsExactlyElementsOf(items.stream().map(i -> "account-" + i).toList());
    assertThat(most.get()).isEqualTo(concurrency);
  }

  @Test
  void oneItemsFailureNeitherStopsTheOthersNorHidesItself() {
    MemberAccounts accounts =
        new MemberAccounts((spec, role) -> null, 4, SubscriptionMemory.none());
    Set<Integer> ran = ConcurrentHashMap.newKeySet();

    assertThatThrownBy(
            () ->
                accounts.inParallel(
                    IntStream.range(0, 20).boxed().toList(),
                    i -> {
                      ran.add(i);
                      if (i == 2) {
                        throw new IllegalStateException("account 2 broke");
                      }
                      return i;
                    }))
        .hasMessage("account 2 broke");
    assertThat(ran).hasSize(20);
  }

  @Test
  void concurrencyBelowOneIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> new MemberAccounts((spec, role) -> null, 0, SubscriptionMemory.none()))
        .hasMessageContaining("vigil.operator.organization.concurrency");
  }
}
