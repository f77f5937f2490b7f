package dev.vigil.operator.logsource;

import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.api.v1alpha1.LogSourceSpec;
import dev.vigil.api.v1alpha1.LogTypeName;
import dev.vigil.operator.common.InvalidSpecException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Makes the AWS side of a LogSource so — queue and DLQ, the bucket's notification entry, its
 * lifecycle rule, CloudWatch Logs subscriptions, the findings route — and takes down only what
 * Vigil made. Every call runs with the {@link AwsClients} of the account it touches: the
 * LogSource's own, or a member account's ({@link MemberAccounts}).
 */
public final class AwsProvisioning {
  private AwsProvisioning() {}

  /**
   * What exists after {@link #apply}: no queue (null) in mode Scan; no account pieces (null) with
   * allOrganizationAccounts; {@code writes}: the queue attributes, notification entry and lifecycle
   * rule that had to be written because they were not as wanted (drift, when in place before).
   */
  public record Provisioned(
      QueueProvisioner.Queue queue,
      String notificationConflict,
      AccountPieces account,
      List<Write> writes) {}

  /** One piece written because it was missing or differed; {@code piece} as in DriftRepairs. */
  public record Write(String piece, String detail) {}

  /**
   * What lives in one account: log-group subscriptions (null unless cloudwatch; empty when the
   * account-level policy covers the groups) and the destination they deliver to, whether Vigil's
   * account-level subscription policy is in place, why per-group filters were used although {@code
   * subscriptionLevel: Account} asked for the policy (null if not), the findings rule.
   */
  public record AccountPieces(
      LogGroupSubscriptions.Result subscriptions,
      String logsDestination,
      boolean accountPolicy,
      String perGroupBecause,
      boolean findingsRouted) {}

  /** Fields the schema cannot relate: checked before any AWS call. */
  public static void validate(LogSourceSpec spec) throws InvalidSpecException {
    if (spec.logType == LogTypeName.cloudwatch
        && spec.cloudWatchLogs.destinationArn == null
        && spec.cloudWatchLogs.firehoseRoleArn == null) {
      throw new InvalidSpecException(
          "spec.cloudWatchLogs: set destinationArn, or firehoseRoleArn for the Firehose stream"
              + " Vigil creates (see docs/iam.md)");
    }
    if (routesFindings(spec)
        && spec.eventBridge.targetArn == null
        && spec.eventBridge.firehoseRoleArn == null) {
      throw new InvalidSpecException(
          "spec.eventBridge: set targetArn, or firehoseRoleArn for the Firehose stream Vigil"
              + " creates (see docs/iam.md)");
    }
    if (allOrganizationAccounts(spec)) {
      MemberAccounts.validate(spec.aws);
    }
    if (scans(spec) && spec.notifications.queueArn != null) {
      throw new InvalidSpecException(
          "spec.notifications.queueArn: mode Scan uses no queue; remove queueArn or use mode SQS");
    }
  }

  /** Mode Scan: the ingester lists the prefix; no queue, no bucket notification. */
  public static boolean scans(LogSourceSpec spec) {
    return notificationMode(spec) == LogSourceSpec.NotificationMode.Scan;
  }

  /**
   * The bucket's account: queue, notification entry and lifecycle rule; and, unless the LogSource
   * spans the organization ({@link MemberAccounts} does that), the account pieces there too.
   */
  public static Provisioned apply(LogSource source, AwsClients aws) {
    LogSourceSpec spec = source.getSpec();
    LogSourceNames names = LogSourceNames.of(source);
    QueueProvisioner queues = new QueueProvisioner(aws.sqs);
    LogSourceSpec.Notifications n =
        spec.notifications == null ? new LogSourceSpec.Notifications() : spec.notifications;
    String account = spec.aws == null ? null : spec.aws.accountId;
    BucketConfiguration bucket = new BucketConfiguration(aws.s3, spec.s3.bucket);
    QueueProvisioner.Queue queue = null;
    String conflict = null;
    List<Write> writes = new ArrayList<>();
    // Mode Scan is for buckets whose notifications cannot be configured: not even read here.
    if (!scans(spec)) {
      queue =
          n.queueArn != null
              ? queues.adopt(n.queueArn)
              : queues.ensure(names, spec.s3.bucket, account, n.maxReceiveCount);
      ConfigChange<?> notify =
          bucket.notify(
              NotificationMerge.desired(
                  names.notificationId(), queue.arn(), spec.s3.prefix, spec.s3.suffix));
      conflict = notify instanceof ConfigChange.Conflict<?> c ? c.message() : null;
      if (!queues.rewritten().isEmpty()) {
        writes.add(
            new Write(
                "queue-attributes",
                String.join(", ", queues.rewritten()) + " of " + queue.url() + " set back"));
      }
      if (notify instanceof ConfigChange.Write<?>) {
        writes.add(
            new Write(
                "bucket-notification",
                "entry '"
                    + names.notificationId()
                    + "' of s3://"
                    + spec.s3.bucket
                    + " was missing or differed; written back"));
      }
    }
    if (bucket.lifecycle(lifecycleRule(spec, names), names.lifecycleRuleId())
        instanceof ConfigChange.Write<?>) {
      writes.add(
          new Write(
              "lifecycle-rule",
              "rule '"
                  + names.lifecycleRuleId()
                  + "' of s3://"
                  + spec.s3.bucket
                  + " was not as spec.lifecycle says; written back"));
    }
    AccountPieces pieces =
        allOrganizationAccounts(spec) ? null : applyInAccount(source, aws, role -> role);
    return new Provisioned(queue, conflict, pieces, List.copyOf(writes));
  }

  /**
   * The pieces that live in one account, made with that account's clients; {@code roles} maps each
   * role ARN of the spec to the one to use there (itself, or the same role name in a member).
   */
  public static AccountPieces applyInAccount(
      LogSource source, AwsClients aws, UnaryOperator<String> roles) {
    LogSourceSpec spec = source.getSpec();
    LogSourceNames names = LogSourceNames.of(source);
    LogGroupSubscriptions.Result subscriptions = null;
    String destination = null;
    boolean accountPolicy = false;
    String perGroupBecause = null;
    if (spec.logType == LogTypeName.cloudwatch) {
      LogSourceSpec.CloudWatchLogs cw = spec.cloudWatchLogs;
      destination =
          cw.destinationArn != null
              ? cw.destinationArn
              : new FirehoseStream(aws.firehose)
                  .ensure(
                      names.deliveryStream(),
                      spec.s3.bucket,
                      spec.s3.prefix,
                      roles.apply(cw.firehoseRoleArn),
                      FirehoseStream.Records.CLOUDWATCH_LOGS);
      if (cw.subscriptionLevel == LogSourceSpec.SubscriptionLevel.Account) {
        perGroupBecause =
            new AccountSubscriptionPolicy(aws.logs)
                .coverOrSayWhyNot(
                    cw.logGroupPatterns,
                    names.subscriptionFilter(),
                    destination,
                    roles.apply(cw.subscriptionRoleArn),
                    cw.filterPattern);
        accountPolicy = perGroupBecause == null;
      }
      subscriptions =
          accountPolicy
              ? new LogGroupSubscriptions.Result(List.of(), List.of())
              : new LogGroupSubscriptions(aws.logs)
                  .ensure(
                      cw.logGroupPatterns,
                      names.subscriptionFilter(),
                      cw.filterPattern,
                      destination,
                      roles.apply(cw.subscriptionRoleArn));
    }
    if (routesFindings(spec)) {
      LogSourceSpec.EventBridgeRoute route = spec.eventBridge;
      String target =
          route.targetArn != null
              ? route.targetArn
              : new FirehoseStream(aws.firehose)
                  .ensure(
                      names.deliveryStream(),
                      spec.s3.bucket,
                      spec.s3.prefix,
                      roles.apply(route.firehoseRoleArn),
                      FirehoseStream.Records.EVENTBRIDGE_EVENTS);
      new FindingsRoute(aws.events)
          .ensure(
              names.eventRule(),
              FindingsRoute.pattern(spec.logType, route.minimumSeverity),
              target,
              roles.apply(route.eventsRoleArn));
    }
    return new AccountPieces(
        subscriptions, destination, accountPolicy, perGroupBecause, routesFindings(spec));
  }

  /**
   * After a switch from mode SQS to Scan: the bucket stops announcing objects to Vigil's queue, and
   * that queue and its dead-letter queue are deleted (an adopted queue has another name and stays).
   */
  public static void stopQueueDelivery(LogSource source, AwsClients aws) {
    LogSourceNames names = LogSourceNames.of(source);
    new BucketConfiguration(aws.s3, source.getSpec().s3.bucket)
        .stopNotifying(names.notificationId());
    new QueueProvisioner(aws.sqs).delete(names);
  }

  /** Removes what Vigil created; foreign configuration and adopted queues stay. */
  public static void remove(LogSource source, AwsClients aws) {
    LogSourceSpec spec = source.getSpec();
    LogSourceNames names = LogSourceNames.of(source);
    BucketConfiguration bucket = new BucketConfiguration(aws.s3, spec.s3.bucket);
    if (!scans(spec)) {
      bucket.stopNotifying(names.notificationId());
    }
    bucket.lifecycle(null, names.lifecycleRuleId());
    if (!allOrganizationAccounts(spec)) {
      removeInAccount(source, aws);
    }
    if (!scans(spec) && (spec.notifications == null || spec.notifications.queueArn == null)) {
      new QueueProvisioner(aws.sqs).delete(names);
    }
  }

  /** Removes the pieces {@link #applyInAccount} made in that account. */
  public static void removeInAccount(LogSource source, AwsClients aws) {
    LogSourceSpec spec = source.getSpec();
    LogSourceNames names = LogSourceNames.of(source);
    if (spec.logType == LogTypeName.cloudwatch) {
      if (spec.cloudWatchLogs.subscriptionLevel == LogSourceSpec.SubscriptionLevel.Account
          && AccountSubscriptionPolicy.cannotExpress(spec.cloudWatchLogs.logGroupPatterns)
              == null) {
        new AccountSubscriptionPolicy(aws.logs).remove(names.subscriptionFilter());
      }
      new LogGroupSubscriptions(aws.logs)
          .remove(spec.cloudWatchLogs.logGroupPatterns, names.subscriptionFilter());
    }
    if (routesFindings(spec)) {
      new FindingsRoute(aws.events).delete(names.eventRule());
    }
    new FirehoseStream(aws.firehose).delete(names.deliveryStream());
  }

  static boolean allOrganizationAccounts(LogSourceSpec spec) {
    return spec.aws != null && Boolean.TRUE.equals(spec.aws.allOrganizationAccounts);
  }

  private static boolean routesFindings(LogSourceSpec spec) {
    return (spec.logType == LogTypeName.securityhub || spec.logType == LogTypeName.guardduty)
        && spec.eventBridge != null
        && !Boolean.FALSE.equals(spec.eventBridge.enabled);
  }

  private static LogSourceSpec.NotificationMode notificationMode(LogSourceSpec spec) {
    return spec.notifications == null
        ? LogSourceSpec.NotificationMode.SQS
        : spec.notifications.mode;
  }

  private static software.amazon.awssdk.services.s3.model.LifecycleRule lifecycleRule(
      LogSourceSpec spec, LogSourceNames names) {
    return spec.lifecycle == null
        ? null
        : LifecycleMerge.desired(
            names.lifecycleRuleId(),
            spec.s3.prefix,
            spec.lifecycle.glacierAfterDays,
            spec.lifecycle.expireAfterDays);
  }
}
