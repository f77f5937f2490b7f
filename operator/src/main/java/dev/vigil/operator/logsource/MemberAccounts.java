package dev.vigil.operator.logsource;

import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.api.v1alpha1.LogSourceSpec;
import dev.vigil.api.v1alpha1.LogSourceStatus;
import dev.vigil.api.v1alpha1.LogSourceStatus.AccountResult;
import dev.vigil.api.v1alpha1.LogTypeName;
import dev.vigil.operator.common.InvalidSpecException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code aws.allOrganizationAccounts}: the account pieces of a LogSource (log-group subscriptions,
 * the findings rule, their Firehose stream) in every ACTIVE account of the organization, each made
 * with the LogSource's role name assumed in that account. The accounts are listed on every pass, so
 * a new account is provisioned on the next one. Up to {@code concurrency} accounts are provisioned
 * at once ({@code vigil.operator.organization.concurrency}); results stay in account order. One
 * account's failure is reported in its result and never stops the others. Between full passes an
 * account costs one listing of its log groups ({@link SubscriptionMemory}).
 */
final class MemberAccounts {
  private static final Pattern ROLE_ARN =
      Pattern.compile("^(arn:aws[a-z-]*:iam::)([0-9]{12})(:role/.+)$");
  private static final Pattern ACCOUNT_ID = Pattern.compile("^[0-9]{12}$");

  /** A root or organizational unit id, as the Organizations API reference defines ParentId. */
  private static final Pattern PARENT_ID =
      Pattern.compile("^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$");

  /** The clients that run as a role, in the LogSource's region. */
  private final BiFunction<LogSourceSpec, String, AwsClients> clientsForRole;

  private final int concurrency;

  /** What the last pass made in each account, so a pass re-reads only what is new. */
  private final SubscriptionMemory memory;

  MemberAccounts(
      BiFunction<LogSourceSpec, String, AwsClients> clientsForRole,
      int concurrency,
      SubscriptionMemory memory) {
    if (concurrency < 1) {
      throw new IllegalArgumentException(
          "vigil.operator.organization.concurrency must be at least 1, not " + concurrency);
    }
    this.clientsForRole = clientsForRole;
    this.concurrency = concurrency;
    this.memory = memory;
  }

  /** The LogSource is gone: nothing of it is remembered. */
  void forget(String uid) {
    memory.forget(uid);
  }

  /**
   * Per-account results; the log groups subscribed and skipped across all accounts (each named
   * {@code account:group}, null unless cloudwatch); the accounts that failed, with why.
   */
  record Rollout(
      List<AccountResult> accounts,
      LogGroupSubscriptions.Result subscriptions,
      AccountLevel accountLevel,
      List<String> failed) {}

  /**
   * With {@code subscriptionLevel: Account}: the accounts Vigil's policy covers, and the accounts
   * subscribed per group instead, with why ({@code account: why}).
   */
  record AccountLevel(int policies, List<String> perGroup) {
    static final AccountLevel NONE = new AccountLevel(0, List.of());
  }

  static void validate(LogSourceSpec.AwsAccess aws) throws InvalidSpecException {
    if (aws.roleArn == null) {
      throw new InvalidSpecException(
          "spec.aws.allOrganizationAccounts needs spec.aws.roleArn: its role name is assumed in"
              + " every member account");
    }
    check(aws.excludedAccounts, ACCOUNT_ID, "excludedAccounts", "a 12-digit account id");
    String unit = "an organizational unit id (ou-…) or root id (r-…)";
    check(aws.organizationalUnits, PARENT_ID, "organizationalUnits", unit);
    check(aws.excludedOrganizationalUnits, PARENT_ID, "excludedOrganizationalUnits", unit);
  }

  private static void check(List<String> ids, Pattern shape, String field, String what)
      throws InvalidSpecException {
    for (int i = 0; ids != null && i < ids.size(); i++) {
      if (ids.get(i) == null || !shape.matcher(ids.get(i)).matches()) {
        throw new InvalidSpecException("spec.aws." + field + "[" + i + "]: not " + what);
      }
    }
  }

  /** The same role name (and path) in another account. */
  static String inAccount(String roleArn, String account) {
    if (roleArn == null) {
      return null;
    }
    var m = ROLE_ARN.matcher(roleArn);
    if (!m.matches()) {
      throw new IllegalArgumentException("not an IAM role ARN: " + roleArn);
    }
    return m.group(1) + account + m.group(3);
  }

  Rollout apply(LogSource source, AwsClients organization) {
    List<String> accounts = accounts(source, organization);
    List<AccountOutcome> outcomes = inParallel(accounts, account -> provision(source, account));
    List<AccountResult> results = new ArrayList<>();
    List<String> subscribed = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String> perGroup = new ArrayList<>();
    int policies = 0;
    for (AccountOutcome outcome : outcomes) {
      if (outcome.pieces() != null && outcome.pieces().accountPolicy()) {
        policies++;
      }
      if (outcome.pieces() != null && outcome.pieces().perGroupBecause() != null) {
        perGroup.add(outcome.result().accountId + ": " + outcome.pieces().perGroupBecause());
      }
      String account = outcome.result().accountId;
      results.add(outcome.result());
      if (outcome.pieces() != null && outcome.pieces().subscriptions() != null) {
        LogGroupSubscriptions.Result made = outcome.pieces().subscriptions();
        made.subscribed().forEach(group -> subscribed.add(account + ":" + group));
        made.skipped().forEach(group -> skipped.add(account + ":" + group));
      }
      if (outcome.failure() != null) {
        failed.add(account + ": " + outcome.failure());
      }
    }
    boolean cloudwatch = source.getSpec().logType == LogTypeName.cloudwatch;
    return new Rollout(
        results,
        cloudwatch ? new LogGroupSubscriptions.Result(subscribed, skipped) : null,
        new AccountLevel(policies, perGroup),
        failed);
  }

  /** One account's result; what was made there (null if it failed), why it failed (null if not). */
  private record AccountOutcome(
      AccountResult result, AwsProvisioning.AccountPieces pieces, String failure) {}

  private AccountOutcome provision(LogSource source, String account) {
    AccountResult result = new AccountResult();
    result.accountId = account;
    try {
      AwsClients aws = clients(source, account);
      UnaryOperator<String> roles = role -> inAccount(role, account);
      AwsProvisioning.AccountPieces pieces = memory.quickPass(source, account, aws, roles);
      if (pieces == null) {
        pieces = AwsProvisioning.applyInAccount(source, aws, roles);
        memory.remember(source, account, pieces);
      }
      LogGroupSubscriptions.Result subscriptions = pieces.subscriptions();
      result.ready = subscriptions == null || subscriptions.skipped().isEmpty();
      result.message = describe(pieces);
      return new AccountOutcome(result, pieces, null);
    } catch (SdkException e) {
      memory.forget(source, account);
      result.ready = false;
      result.message = "AWS: " + AwsErrors.describe(e);
      return new AccountOutcome(result, null, result.message);
    }
  }

  /**
   * {@code work} applied to every item, at most {@code concurrency} at once, the answers in the
   * items' order. An exception thrown by one item's work is rethrown only after all have run.
   */
  <T, R> List<R> inParallel(List<T> items, Function<T, R> work) {
    int threads = Math.min(concurrency, items.size());
    if (threads <= 1) {
      return items.stream().map(work).toList();
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads, ACCOUNT_THREADS);
    try {
      List<Future<R>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(pool.submit(() -> work.apply(item)));
      }
      List<R> answers = new ArrayList<>();
      RuntimeException first = null;
      for (Future<R> future : futures) {
        try {
          answers.add(future.get());
        } catch (ExecutionException e) {
          if (first == null) {
            first =
                e.getCause() instanceof RuntimeException runtime
                    ? runtime
                    : new IllegalStateException(e.getCause());
          }
        }
      }
      if (first != null) {
        throw first;
      }
      return answers;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while provisioning member accounts", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static final ThreadFactory ACCOUNT_THREADS =
      runnable -> {
        Thread thread = new Thread(runnable, "vigil-member-account");
        thread.setDaemon(true);
        return thread;
      };

  /** The bounded summary of a pass for the status: counts and the first not-ready accounts. */
  static LogSourceStatus.MemberAccounts summary(List<AccountResult> results) {
    LogSourceStatus.MemberAccounts summary = new LogSourceStatus.MemberAccounts();
    summary.total = results.size();
    List<AccountResult> notReady = results.stream().filter(r -> !r.ready).toList();
    summary.ready = summary.total - notReady.size();
    int listed = LogSourceStatus.MemberAccounts.LISTED;
    summary.notReady =
        notReady.isEmpty()
            ? null
            : List.copyOf(notReady.subList(0, Math.min(listed, notReady.size())));
    summary.notReadyNotListed = notReady.size() > listed ? notReady.size() - listed : null;
    return summary;
  }

  /** The first {@code shown} items joined by "; ", and how many more there are. */
  static String joinCapped(List<String> items, int shown) {
    String joined = String.join("; ", items.subList(0, Math.min(shown, items.size())));
    return items.size() > shown ? joined + "; and " + (items.size() - shown) + " more" : joined;
  }

  /**
   * Removes the account pieces everywhere, {@code concurrency} accounts at once; after trying every
   * account, throws the first account's failure.
   */
  void remove(LogSource source, AwsClients organization) {
    inParallel(
        accounts(source, organization),
        account -> {
          AwsProvisioning.removeInAccount(source, clients(source, account));
          return account;
        });
  }

  /**
   * The accounts a LogSource covers: every ACTIVE account of the organization, narrowed to its
   * organizational units if it names any, less the accounts of its excluded units and its excluded
   * accounts; in id order.
   */
  static List<String> accounts(LogSource source, AwsClients organization) {
    LogSourceSpec.AwsAccess aws = source.getSpec().aws;
    OrganizationsApi api = organization.organizations();
    Set<String> included =
        aws.organizationalUnits == null || aws.organizationalUnits.isEmpty()
            ? null
            : under(api, aws.organizationalUnits);
    Set<String> excluded = under(api, orEmpty(aws.excludedOrganizationalUnits));
    excluded.addAll(orEmpty(aws.excludedAccounts));
    return api.activeAccounts().stream()
        .map(OrganizationsApi.Account::id)
        .filter(id -> included == null || included.contains(id))
        .filter(id -> !excluded.contains(id))
        .sorted()
        .toList();
  }

  private static Set<String> under(OrganizationsApi api, List<String> units) {
    Set<String> accounts = new HashSet<>();
    units.forEach(unit -> accounts.addAll(api.accountsUnder(unit)));
    return accounts;
  }

  private static List<String> orEmpty(List<String> ids) {
    return ids == null ? List.of() : ids;
  }

  private AwsClients clients(LogSource source, String account) {
    return clientsForRole.apply(source.getSpec(), inAccount(source.getSpec().aws.roleArn, account));
  }

  private static String describe(AwsProvisioning.AccountPieces pieces) {
    List<String> parts = new ArrayList<>();
    if (pieces.accountPolicy()) {
      parts.add("account-level subscription policy in place");
    } else if (pieces.subscriptions() != null) {
      parts.add(pieces.subscriptions().subscribed().size() + " log groups subscribed");
      if (pieces.perGroupBecause() != null) {
        parts.add("per-group filters: " + pieces.perGroupBecause());
      }
      if (!pieces.subscriptions().skipped().isEmpty()) {
        parts.add("not subscribed: " + String.join("; ", pieces.subscriptions().skipped()));
      }
    }
    if (pieces.findingsRouted()) {
      parts.add("findings rule in place");
    }
    return String.join(", ", parts);
  }
}
