package dev.vigil.operator.logsource;

import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.api.v1alpha1.LogSourceSpec;
import dev.vigil.api.v1alpha1.LogSourceStatus;
import dev.vigil.api.v1alpha1.LogSourceStatus.AccountResult;
import dev.vigil.api.v1alpha1.LogTypeName;
import dev.vigil.operator.common.InvalidSpecException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code aws.allOrganizationAccounts}: the account pieces of a LogSource (log-group subscriptions,
 * the findings rule, their Firehose stream) in every ACTIVE account of the organization, each made
 * with the LogSource's role name assumed in that account. The accounts are listed on every pass, so
 * a new account is provisioned on the next one. One account's failure is reported in its result and
 * never stops the others.
 */
final class MemberAccounts {
  private static final Pattern ROLE_ARN =
      Pattern.compile("^(arn:aws[a-z-]*:iam::)([0-9]{12})(:role/.+)$");
  private static final Pattern ACCOUNT_ID = Pattern.compile("^[0-9]{12}$");

  /** The clients that run as a role, in the LogSource's region. */
  private final BiFunction<LogSourceSpec, String, AwsClients> clientsForRole;

  MemberAccounts(BiFunction<LogSourceSpec, String, AwsClients> clientsForRole) {
    this.clientsForRole = clientsForRole;
  }

  /**
   * Per-account results; the log groups subscribed and skipped across all accounts (each named
   * {@code account:group}, null unless cloudwatch); the accounts that failed, with why.
   */
  record Rollout(
      List<AccountResult> accounts,
      LogGroupSubscriptions.Result subscriptions,
      List<String> failed) {}

  static void validate(LogSourceSpec.AwsAccess aws) throws InvalidSpecException {
    if (aws.roleArn == null) {
      throw new InvalidSpecException(
          "spec.aws.allOrganizationAccounts needs spec.aws.roleArn: its role name is assumed in"
              + " every member account");
    }
    if (aws.excludedAccounts != null) {
      for (int i = 0; i < aws.excludedAccounts.size(); i++) {
        if (!ACCOUNT_ID.matcher(aws.excludedAccounts.get(i)).matches()) {
          throw new InvalidSpecException(
              "spec.aws.excludedAccounts[" + i + "]: not a 12-digit account id");
        }
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
    List<AccountResult> results = new ArrayList<>();
    List<String> subscribed = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (String account : accounts(source, organization)) {
      AccountResult result = new AccountResult();
      result.accountId = account;
      try {
        AwsProvisioning.AccountPieces pieces =
            AwsProvisioning.applyInAccount(
                source, clients(source, account), role -> inAccount(role, account));
        LogGroupSubscriptions.Result subscriptions = pieces.subscriptions();
        if (subscriptions != null) {
          subscriptions.subscribed().forEach(group -> subscribed.add(account + ":" + group));
          subscriptions.skipped().forEach(group -> skipped.add(account + ":" + group));
        }
        result.ready = subscriptions == null || subscriptions.skipped().isEmpty();
        result.message = describe(pieces);
      } catch (SdkException e) {
        result.ready = false;
        result.message = "AWS: " + AwsErrors.describe(e);
        failed.add(account + ": " + result.message);
      }
      results.add(result);
    }
    boolean cloudwatch = source.getSpec().logType == LogTypeName.cloudwatch;
    return new Rollout(
        results, cloudwatch ? new LogGroupSubscriptions.Result(subscribed, skipped) : null, failed);
  }

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

  /** Removes the account pieces everywhere; throws on the first account that fails. */
  void remove(LogSource source, AwsClients organization) {
    for (String account : accounts(source, organization)) {
      AwsProvisioning.removeInAccount(source, clients(source, account));
    }
  }

  private List<String> accounts(LogSource source, AwsClients organization) {
    List<String> excluded =
        source.getSpec().aws.excludedAccounts == null
            ? List.of()
            : source.getSpec().aws.excludedAccounts;
    return organization.organizations().activeAccounts().stream()
        .map(OrganizationsApi.Account::id)
        .filter(id -> !excluded.contains(id))
        .sorted()
        .toList();
  }

  private AwsClients clients(LogSource source, String account) {
    return clientsForRole.apply(source.getSpec(), inAccount(source.getSpec().aws.roleArn, account));
  }

  private static String describe(AwsProvisioning.AccountPieces pieces) {
    List<String> parts = new ArrayList<>();
    if (pieces.subscriptions() != null) {
      parts.add(pieces.subscriptions().subscribed().size() + " log groups subscribed");
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
