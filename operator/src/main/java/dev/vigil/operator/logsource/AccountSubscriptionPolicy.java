package dev.vigil.operator.logsource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.AccountPolicy;
import software.amazon.awssdk.services.cloudwatchlogs.model.PolicyType;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutAccountPolicyRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatchlogs.model.Scope;

/**
 * CloudWatch Logs' account-level subscription filter policy: one policy per account (and Region)
 * subscribes every log group there, present and future, to one destination — a pass needs one
 * DescribeAccountPolicies, and a new group is covered the moment it is created. Its selection can
 * only leave named groups out ({@code LogGroupName NOT IN [...]}), so it serves a LogSource whose
 * patterns select every group ({@code *}); and an account holds one such policy, so a foreign one
 * is reported and left alone, never replaced (see docs/crds/logsource.md).
 */
final class AccountSubscriptionPolicy {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The pattern that selects every group: the only selection a policy can express. */
  static final String EVERY_GROUP = "*";

  /**
   * Why the policy cannot select what these patterns select, or null when it can: its selection
   * criteria only leave named groups out ({@code LogGroupName NOT IN [...]}), so it subscribes
   * every group, and only patterns that include {@code *} select every group.
   */
  static String cannotExpress(List<String> patterns) {
    return patterns.contains(EVERY_GROUP)
        ? null
        : "an account-level subscription policy covers every log group (logGroupPatterns [\"*\"]),"
            + " not only "
            + patterns;
  }

  /** Vigil's policy in place, or the foreign policy that holds the account's one slot. */
  sealed interface Outcome {}

  /** Vigil's policy is there; {@code written} when this pass had to put it. */
  record Applied(boolean written) implements Outcome {}

  /** Another subscription filter policy holds the slot (named): per-group filters instead. */
  record Taken(String foreignPolicy) implements Outcome {}

  private final CloudWatchLogsClient logs;

  AccountSubscriptionPolicy(CloudWatchLogsClient logs) {
    this.logs = logs;
  }

  /**
   * Covers the account with Vigil's policy {@code name} and removes Vigil's per-group filters that
   * would now deliver twice; or, when the policy cannot serve, says why (per-group filters then).
   */
  String coverOrSayWhyNot(
      List<String> patterns,
      String name,
      String destinationArn,
      String roleArn,
      String filterPattern) {
    String cannot = cannotExpress(patterns);
    if (cannot != null) {
      return cannot;
    }
    Outcome outcome = ensure(name, destinationArn, roleArn, filterPattern);
    if (outcome instanceof Taken taken) {
      return "the account's one subscription filter policy is '"
          + taken.foreignPolicy()
          + "', not Vigil's (left alone)";
    }
    if (((Applied) outcome).written()) {
      new LogGroupSubscriptions(logs).remove(patterns, name);
    }
    return null;
  }

  /**
   * Puts Vigil's policy {@code name} unless it is there as wanted, or another subscription filter
   * policy holds the account's slot.
   */
  Outcome ensure(String name, String destinationArn, String roleArn, String filterPattern) {
    PutAccountPolicyRequest wanted = request(name, destinationArn, roleArn, filterPattern);
    List<AccountPolicy> present =
        logs.describeAccountPolicies(r -> r.policyType(PolicyType.SUBSCRIPTION_FILTER_POLICY))
            .accountPolicies();
    for (AccountPolicy policy : present) {
      if (!name.equals(policy.policyName())) {
        return new Taken(policy.policyName());
      }
    }
    AccountPolicy mine = present.isEmpty() ? null : present.get(0);
    if (mine != null && same(mine, wanted)) {
      return new Applied(false);
    }
    logs.putAccountPolicy(wanted);
    return new Applied(true);
  }

  /** Deletes Vigil's policy; a foreign one stays. */
  void remove(String name) {
    try {
      logs.deleteAccountPolicy(
          r -> r.policyName(name).policyType(PolicyType.SUBSCRIPTION_FILTER_POLICY));
    } catch (ResourceNotFoundException gone) {
      // never made, or already deleted
    }
  }

  /** The PutAccountPolicy request for Vigil's policy: every log group of the account. */
  static PutAccountPolicyRequest request(
      String name, String destinationArn, String roleArn, String filterPattern) {
    return PutAccountPolicyRequest.builder()
        .policyName(name)
        .policyType(PolicyType.SUBSCRIPTION_FILTER_POLICY)
        .scope(Scope.ALL)
        .policyDocument(document(destinationArn, roleArn, filterPattern))
        .build();
  }

  /**
   * The policy document: DestinationArn, RoleArn (for Firehose and Kinesis destinations),
   * FilterPattern ("" is every event), as the PutAccountPolicy reference describes it.
   */
  static String document(String destinationArn, String roleArn, String filterPattern) {
    ObjectNode doc = JSON.createObjectNode().put("DestinationArn", destinationArn);
    if (roleArn != null) {
      doc.put("RoleArn", roleArn);
    }
    doc.put("FilterPattern", filterPattern == null ? "" : filterPattern);
    return doc.toString();
  }

  private static boolean same(AccountPolicy present, PutAccountPolicyRequest wanted) {
    try {
      return JSON.readTree(present.policyDocument()).equals(JSON.readTree(wanted.policyDocument()))
          && present.scope() == wanted.scope()
          && present.selectionCriteria() == null;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
