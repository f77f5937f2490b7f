package dev.vigil.operator.logsource;

import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.api.v1alpha1.LogSourceSpec;
import dev.vigil.api.v1alpha1.LogTypeName;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the last pass made in each member account of a cloudwatch LogSource: the log groups it
 * subscribed and the destination they deliver to. With it, a pass lists the account's groups
 * (DescribeLogGroups) and describes and subscribes only the groups it has not seen — one call per
 * account instead of 2 + one per group. Filters changed by hand are repaired by the full pass that
 * runs when the account's memory is older than {@code fullCheckInterval} ({@code
 * vigil.operator.organization.full-check-interval}), after a change of the settings that decide the
 * subscriptions, after an account's pass failed, and after an operator restart (the memory lives in
 * the process only). Where Vigil's account-level subscription policy covers the account, a pass
 * between full passes is one DescribeAccountPolicies instead.
 */
final class SubscriptionMemory {
  /** Remembers nothing: every pass is a full pass (each group's filters read again). */
  static SubscriptionMemory none() {
    return new SubscriptionMemory(Duration.ZERO, Instant::now);
  }

  /**
   * {@code accountPolicy}: Vigil's account-level policy covers the groups ({@code groups} empty).
   */
  private record Made(
      String settings,
      String destination,
      boolean accountPolicy,
      Set<String> groups,
      Instant checked) {}

  /** LogSource uid → account → what the last pass made there. */
  private final Map<String, Map<String, Made>> made = new ConcurrentHashMap<>();

  private final Duration fullCheckInterval;
  private final Supplier<Instant> now;

  SubscriptionMemory(Duration fullCheckInterval, Supplier<Instant> now) {
    if (fullCheckInterval.isNegative()) {
      throw new IllegalArgumentException(
          "vigil.operator.organization.full-check-interval must not be negative, not "
              + fullCheckInterval);
    }
    this.fullCheckInterval = fullCheckInterval;
    this.now = now;
  }

  /**
   * The account's pieces after a quick pass (new groups subscribed, the others taken as they were
   * left), or null when a full pass is due there.
   */
  AwsProvisioning.AccountPieces quickPass(
      LogSource source, String account, AwsClients aws, UnaryOperator<String> roles) {
    Made last = recall(source, account);
    if (last == null) {
      return null;
    }
    LogSourceSpec.CloudWatchLogs cw = source.getSpec().cloudWatchLogs;
    if (last.accountPolicy()) {
      // One DescribeAccountPolicies: still Vigil's, as wanted (put back if changed by hand)?
      AccountSubscriptionPolicy.Outcome outcome =
          new AccountSubscriptionPolicy(aws.logs)
              .ensure(
                  LogSourceNames.of(source).subscriptionFilter(),
                  last.destination(),
                  roles.apply(cw.subscriptionRoleArn),
                  cw.filterPattern);
      if (outcome instanceof AccountSubscriptionPolicy.Taken) {
        forget(source, account);
        return null;
      }
      return new AwsProvisioning.AccountPieces(
          new LogGroupSubscriptions.Result(List.of(), List.of()),
          last.destination(),
          true,
          null,
          false);
    }
    LogGroupSubscriptions subscriptions = new LogGroupSubscriptions(aws.logs);
    List<String> groups = subscriptions.matchingGroups(cw.logGroupPatterns);
    List<String> unseen = groups.stream().filter(g -> !last.groups().contains(g)).toList();
    LogGroupSubscriptions.Result fresh =
        subscriptions.ensureGroups(
            unseen,
            LogSourceNames.of(source).subscriptionFilter(),
            cw.filterPattern,
            last.destination(),
            roles.apply(cw.subscriptionRoleArn));
    List<String> subscribed =
        groups.stream()
            .filter(g -> last.groups().contains(g) || fresh.subscribed().contains(g))
            .toList();
    store(
        source,
        account,
        new Made(
            last.settings(), last.destination(), false, Set.copyOf(subscribed), last.checked()));
    return new AwsProvisioning.AccountPieces(
        new LogGroupSubscriptions.Result(subscribed, fresh.skipped()),
        last.destination(),
        false,
        null,
        false);
  }

  /** What a full pass made in the account; its time starts the next full-check interval. */
  void remember(LogSource source, String account, AwsProvisioning.AccountPieces pieces) {
    if (fullCheckInterval.isZero() || !applies(source) || pieces.subscriptions() == null) {
      return;
    }
    store(
        source,
        account,
        new Made(
            settings(source),
            pieces.logsDestination(),
            pieces.accountPolicy(),
            Set.copyOf(pieces.subscriptions().subscribed()),
            now.get()));
  }

  /** The account's next pass is a full one (its last pass failed part way). */
  void forget(LogSource source, String account) {
    Map<String, Made> accounts = made.get(uid(source));
    if (accounts != null) {
      accounts.remove(account);
    }
  }

  /** The LogSource is gone. */
  void forget(String uid) {
    made.remove(uid);
  }

  private Made recall(LogSource source, String account) {
    if (!applies(source)) {
      return null;
    }
    Map<String, Made> accounts = made.get(uid(source));
    Made last = accounts == null ? null : accounts.get(account);
    if (last == null
        || !last.settings().equals(settings(source))
        || !now.get().isBefore(last.checked().plus(fullCheckInterval))) {
      return null;
    }
    return last;
  }

  private void store(LogSource source, String account, Made what) {
    made.computeIfAbsent(uid(source), u -> new ConcurrentHashMap<>()).put(account, what);
  }

  /** Only cloudwatch LogSources have per-group pieces to remember (and no findings rule). */
  private static boolean applies(LogSource source) {
    return source.getSpec().logType == LogTypeName.cloudwatch;
  }

  private static String uid(LogSource source) {
    return Objects.requireNonNull(source.getMetadata().getUid(), "LogSource without a uid");
  }

  /** Everything that decides an account's subscriptions: a change means a full pass. */
  private static String settings(LogSource source) {
    LogSourceSpec spec = source.getSpec();
    LogSourceSpec.CloudWatchLogs cw = spec.cloudWatchLogs;
    return Stream.of(
            LogSourceNames.of(source).subscriptionFilter(),
            cw.logGroupPatterns,
            cw.filterPattern,
            cw.destinationArn,
            cw.firehoseRoleArn,
            cw.subscriptionRoleArn,
            cw.subscriptionLevel,
            spec.s3.bucket,
            spec.s3.prefix,
            spec.aws.roleArn)
        .map(String::valueOf)
        .collect(Collectors.joining("\n"));
  }
}
