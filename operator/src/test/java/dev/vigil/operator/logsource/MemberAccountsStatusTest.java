package dev.vigil.operator.logsource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.LogSourceStatus;
import dev.vigil.api.v1alpha1.LogSourceStatus.AccountResult;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The status of an organization-wide LogSource stays bounded however many accounts there are. */
class MemberAccountsStatusTest {
  private static AccountResult result(int i, boolean ready) {
    AccountResult r = new AccountResult();
    r.accountId = String.format("%012d", i);
    r.ready = ready;
    r.message = ready ? "1 log groups subscribed" : "AWS: AccessDenied (sts:AssumeRole)";
    return r;
  }

  @Test
  void aThousandAccountsWithManyFailuresGiveCountsAndTwentyNamedAccounts() {
    List<AccountResult> results = new ArrayList<>();
    IntStream.range(0, 1000).forEach(i -> results.add(result(i, i % 10 != 0)));

    LogSourceStatus.MemberAccounts summary = MemberAccounts.summary(results);

    assertThat(summary.total).isEqualTo(1000);
    assertThat(summary.ready).isEqualTo(900);
    assertThat(summary.notReady).hasSize(LogSourceStatus.MemberAccounts.LISTED);
    assertThat(summary.notReady.get(0).accountId).isEqualTo("000000000000");
    assertThat(summary.notReadyNotListed).isEqualTo(80);
  }

  @Test
  void allReadyListsNothing() {
    LogSourceStatus.MemberAccounts summary =
        MemberAccounts.summary(List.of(result(1, true), result(2, true)));
    assertThat(summary.notReady).isNull();
    assertThat(summary.notReadyNotListed).isNull();
  }

  @Test
  void conditionMessagesNameTenItemsAndCountTheRest() {
    List<String> failed = IntStream.range(0, 25).mapToObj(i -> "a" + i).toList();
    assertThat(MemberAccounts.joinCapped(failed, 10))
        .endsWith("a9; and 15 more")
        .startsWith("a0; a1");
    assertThat(MemberAccounts.joinCapped(List.of("x", "y"), 10)).isEqualTo("x; y");
  }

  @Test
  void eachAccountChangeIsToldOnceNotEveryPass() {
    AccountTransitions transitions = new AccountTransitions();
    List<AccountResult> failing = List.of(result(1, false), result(2, true));

    assertThat(transitions.pass("uid", failing).notReady())
        .extracting(r -> r.accountId)
        .containsExactly("000000000001");
    assertThat(transitions.pass("uid", failing).notReady()).as("same failure again").isEmpty();
    AccountTransitions.Changes recovered =
        transitions.pass("uid", List.of(result(1, true), result(2, true)));
    assertThat(recovered.recovered()).containsExactly("000000000001");
    assertThat(recovered.notReady()).isEmpty();
    assertThat(transitions.pass("uid", List.of(result(1, true))).recovered()).isEmpty();
  }
}
