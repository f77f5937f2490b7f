package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.CSIVolumeSource;
import io.fabric8.kubernetes.api.model.ImageVolumeSource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimVolumeSource;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

@JsonClassDescription("Which AWS log to collect, where it lands in S3, and how Vigil ingests it.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.ingester) || !has(self.ingester.maxReplicas) || !has(self.ingester.minReplicas)"
            + " || self.ingester.maxReplicas >= self.ingester.minReplicas",
    message = "ingester.maxReplicas must be at least ingester.minReplicas")
@ValidationRule(
    value = "self.logType != 'cloudwatch' || has(self.cloudWatchLogs)",
    message = "logType cloudwatch needs cloudWatchLogs (which log groups to subscribe)")
@ValidationRule(
    value =
        "!has(self.lifecycle) || !has(self.lifecycle.expireAfterDays) || !has(self.lifecycle.glacierAfterDays)"
            + " || self.lifecycle.expireAfterDays > self.lifecycle.glacierAfterDays",
    message = "lifecycle.expireAfterDays must be later than lifecycle.glacierAfterDays")
@ValidationRule(
    value =
        "!has(self.aws) || !has(self.aws.allOrganizationAccounts) || !self.aws.allOrganizationAccounts"
            + " || self.logType in ['cloudwatch', 'securityhub', 'guardduty']",
    message =
        "aws.allOrganizationAccounts applies to cloudwatch, securityhub and guardduty (what lives in"
            + " member accounts); S3-delivered logs of all accounts already land in the one bucket")
public class LogSourceSpec {
  @JsonPropertyDescription(
      "OpenSearchConnection the documents go to. Default: the namespace's connection 'default'.")
  public ConnectionRef connectionRef;

  @Required
  @ValidationRule(value = Immutable.RULE, message = Immutable.LOG_TYPE)
  @JsonPropertyDescription(
      "Log type of the objects, or auto to detect each object's type from its S3 key and content."
          + " Immutable.")
  public LogTypeName logType;

  @Required
  @JsonPropertyDescription("The S3 bucket (and prefix) the logs are delivered to.")
  public S3Location s3;

  @JsonPropertyDescription(
      "AWS account, region and role used for everything this LogSource provisions and reads.")
  public AwsAccess aws;

  @JsonPropertyDescription(
      "How new objects are announced. Default: S3 event notifications to an SQS queue.")
  public Notifications notifications;

  @JsonPropertyDescription(
      "For logType cloudwatch: which log groups to subscribe (new matching groups too).")
  public CloudWatchLogs cloudWatchLogs;

  @JsonPropertyDescription(
      "For securityhub/guardduty: route findings through EventBridge into the log pipeline.")
  public EventBridgeRoute eventBridge;

  @JsonPropertyDescription("Optional S3 lifecycle for the prefix: S3 keeps everything, cheaply.")
  public Lifecycle lifecycle;

  @JsonPropertyDescription("The ingester pods for this source.")
  public Ingester ingester;

  @JsonPropertyDescription("Index naming of the documents.")
  public IndexSettings index;

  @JsonPropertyDescription(
      "What happens to the AWS resources Vigil created when this LogSource is deleted. Default: Retain.")
  public DeletionPolicy deletionPolicy = DeletionPolicy.Retain;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class S3Location {
    @Required
    @Pattern("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
    @ValidationRule(value = Immutable.RULE, message = Immutable.BUCKET)
    @JsonPropertyDescription("Bucket name. Immutable.")
    public String bucket;

    @JsonPropertyDescription(
        "Key prefix of the logs, e.g. AWSLogs/ or AWSLogs/o-abc123/. Default: whole bucket.")
    public String prefix = "";

    @JsonPropertyDescription("Only keys ending with this suffix, e.g. .json.gz.")
    public String suffix;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value =
          "!has(self.allOrganizationAccounts) || !self.allOrganizationAccounts || has(self.roleArn)",
      message =
          "allOrganizationAccounts needs roleArn: its role name is assumed in every member account")
  public static class AwsAccess {
    @Pattern("^[0-9]{12}$")
    @JsonPropertyDescription(
        "Account that owns the bucket (the log-archive account). Informational; checked.")
    public String accountId;

    @Pattern("^[a-z]{2}(-[a-z]+)+-[0-9]+$")
    @ValidationRule(value = Immutable.RULE, message = Immutable.REGION)
    @JsonPropertyDescription("Region of the bucket and of the queue Vigil creates. Immutable.")
    public String region;

    @Pattern("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$")
    @JsonPropertyDescription(
        "Role to assume for every AWS call of this LogSource (cross-account access).")
    public String roleArn;

    @JsonPropertyDescription("External id required by the role's trust policy, if any.")
    public String externalId;

    @JsonPropertyDescription(
        "With AWS Organizations: also provision what lives in member accounts (log-group subscriptions,"
            + " the findings rule and their Firehose stream) in every ACTIVE account of the organization,"
            + " assuming roleArn's role name in each; every role ARN of this spec is reused the same way."
            + " The bucket, queue and notification stay in roleArn's own account. Accounts are listed"
            + " again on every pass, so new accounts are picked up.")
    public Boolean allOrganizationAccounts;

    @Pattern("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$")
    @JsonPropertyDescription(
        "Role to assume to read AWS Organizations (in the management account or a delegated"
            + " administrator): the accounts of allOrganizationAccounts, and the account directory"
            + " (names, OU paths, tags) every document of this namespace's LogSources is enriched"
            + " with (ConfigMap vigil-accounts). Set it, or allOrganizationAccounts, to enrich."
            + " Default: the operator's own identity.")
    public String organizationRoleArn;

    @Size(max = 1000)
    @JsonPropertyDescription(
        "With allOrganizationAccounts: account ids (12 digits) to leave out, e.g. the management"
            + " account.")
    public List<String> excludedAccounts;

    @Size(max = 100)
    @JsonPropertyDescription(
        "With allOrganizationAccounts: only the accounts in these organizational units (ids like"
            + " ou-ab12-cdefgh34) or under this root (r-ab12), nested units included. Default: every"
            + " account of the organization. Listed again on every pass, so an account moved into"
            + " one is picked up.")
    public List<String> organizationalUnits;

    @Size(max = 100)
    @JsonPropertyDescription(
        "With allOrganizationAccounts: leave out the accounts in these organizational units (nested"
            + " units included), e.g. a sandbox unit. Applied after organizationalUnits, together"
            + " with excludedAccounts.")
    public List<String> excludedOrganizationalUnits;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Notifications {
    @JsonPropertyDescription(
        "SQS: S3 event notifications to a queue (default). Scan: list the prefix periodically, for buckets whose"
            + " notifications cannot be configured.")
    public NotificationMode mode = NotificationMode.SQS;

    @Pattern("^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:.+$")
    @JsonPropertyDescription("Adopt this existing queue instead of creating one.")
    public String queueArn;

    @Min(1)
    @Max(1000)
    @JsonPropertyDescription(
        "Deliveries before a message goes to the dead-letter queue. Default: 5.")
    public Integer maxReceiveCount = 5;

    @Pattern("^[0-9]+(s|m|h)$")
    @JsonPropertyDescription("For mode Scan: how often to list the prefix. Default: 5m.")
    public String scanInterval = "5m";
  }

  public enum NotificationMode {
    SQS,
    Scan
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class CloudWatchLogs {
    @Required
    @JsonPropertyDescription(
        "Log group name patterns; * matches any run of characters, e.g. /aws/lambda/*.")
    public List<String> logGroupPatterns;

    @JsonPropertyDescription(
        "Subscription filter pattern (CloudWatch Logs syntax). Default: every event.")
    public String filterPattern = "";

    @Pattern("^arn:aws[a-z-]*:(firehose|logs|kinesis):.+$")
    @JsonPropertyDescription(
        "Existing subscription destination to use. Default: a Firehose stream Vigil creates, writing to s3.")
    public String destinationArn;

    @Pattern("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$")
    @JsonPropertyDescription(
        "Role CloudWatch Logs assumes to put events into the destination (needed for Firehose"
            + " destinations).")
    public String subscriptionRoleArn;

    @Pattern("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$")
    @JsonPropertyDescription(
        "Role the Firehose stream Vigil creates uses to write to the bucket. Required without"
            + " destinationArn.")
    public String firehoseRoleArn;

    @Pattern("^[0-9]+(s|m|h)$")
    @JsonPropertyDescription("How often to look for new matching log groups. Default: 5m.")
    public String discoveryInterval = "5m";

    @JsonPropertyDescription(
        "LogGroup: a subscription filter on each matching log group, found by listing every"
            + " discoveryInterval. Account: one account-level subscription filter policy that"
            + " covers every log group of the account, present and future, the moment it is"
            + " created; it can only select every group, so it needs logGroupPatterns [\"*\"], and"
            + " an account holds one such policy: where the patterns are narrower or another"
            + " policy holds the slot, per-group filters are used instead (reported, the other"
            + " policy left alone). Default: LogGroup.")
    public SubscriptionLevel subscriptionLevel = SubscriptionLevel.LogGroup;
  }

  /** Where a cloudwatch LogSource subscribes: on each log group, or once per account. */
  public enum SubscriptionLevel {
    LogGroup,
    Account
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class EventBridgeRoute {
    @JsonPropertyDescription(
        "Create the EventBridge rule for the findings of this log type. Default: true.")
    public Boolean enabled = true;

    @JsonPropertyDescription(
        "Only findings at or above this severity label (LOW, MEDIUM, HIGH, CRITICAL).")
    public Severity minimumSeverity;

    @Pattern("^arn:aws[a-z-]*:firehose:.+$")
    @JsonPropertyDescription(
        "Existing Firehose stream the rule targets. Default: a stream Vigil creates, writing to s3.")
    public String targetArn;

    @Pattern("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$")
    @JsonPropertyDescription("Role EventBridge assumes to put findings into the Firehose stream.")
    public String eventsRoleArn;

    @Pattern("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$")
    @JsonPropertyDescription(
        "Role the Firehose stream Vigil creates uses to write to the bucket. Required without"
            + " targetArn.")
    public String firehoseRoleArn;
  }

  public enum Severity {
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Lifecycle {
    @Min(1)
    @JsonPropertyDescription("Move objects to Glacier Flexible Retrieval after this many days.")
    public Integer glacierAfterDays;

    @Min(1)
    @JsonPropertyDescription("Delete objects after this many days.")
    public Integer expireAfterDays;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Ingester {
    @Min(0)
    @JsonPropertyDescription("Fewest ingester pods. Default: 1.")
    public Integer minReplicas = 1;

    @Min(1)
    @JsonPropertyDescription("Most ingester pods. Default: 4.")
    public Integer maxReplicas = 4;

    @Min(1)
    @JsonPropertyDescription(
        "Scale out when the oldest waiting message is older than this many seconds. Default: 120.")
    public Integer targetLagSeconds = 120;

    @Min(1)
    @JsonPropertyDescription(
        "Visible messages one pod is expected to handle; sizes scale-out. Default: 100.")
    public Integer messagesPerReplica = 100;

    @JsonPropertyDescription("CPU and memory of each ingester pod.")
    public ResourceRequirements resources;

    @JsonPropertyDescription("Ingester image. Default: the one matching the operator's version.")
    public String image;

    @JsonPropertyDescription(
        "GeoIP enrichment: a MaxMind-format database (GeoLite2/GeoIP2 City or Country, DB-IP Lite)"
            + " mounted read-only into the ingester pods, which then add source.geo.* and"
            + " destination.geo.* (country, region, city, location) to every document with a"
            + " public IP. Default: none.")
    public GeoIp geoIp;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class GeoIp {
    @Required
    @JsonPropertyDescription(
        "The volume holding the database (tens of MB: too big for a ConfigMap). Exactly one of"
            + " persistentVolumeClaim, image, csi.")
    public GeoIpVolume volume;

    @Required
    @Pattern("^[^/].*\\.mmdb$")
    @JsonPropertyDescription(
        "Path of the .mmdb file inside the volume, e.g. GeoLite2-City.mmdb. A missing or"
            + " unreadable file keeps the ingester pods from starting.")
    public String file;

    @Min(0)
    @JsonPropertyDescription(
        "Addresses whose answer each pod keeps in memory (logs repeat clients). Default: 100000.")
    public Integer cacheSize;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value =
          "(has(self.persistentVolumeClaim) ? 1 : 0) + (has(self.image) ? 1 : 0)"
              + " + (has(self.csi) ? 1 : 0) == 1",
      message = "geoIp.volume needs exactly one of persistentVolumeClaim, image, csi")
  public static class GeoIpVolume {
    @JsonPropertyDescription(
        "A PersistentVolumeClaim in the LogSource's namespace holding the file (ReadOnlyMany or"
            + " ReadWriteMany when pods run on several nodes).")
    public PersistentVolumeClaimVolumeSource persistentVolumeClaim;

    @JsonPropertyDescription(
        "An OCI image (artifact) holding the file: Kubernetes image volumes (1.33+, feature"
            + " ImageVolume).")
    public ImageVolumeSource image;

    @JsonPropertyDescription(
        "A CSI volume holding the file, e.g. the Secrets Store or S3 CSI driver.")
    public CSIVolumeSource csi;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class IndexSettings {
    @Pattern("^[a-z0-9][a-z0-9_.-]*$")
    @JsonPropertyDescription("Index name prefix: <prefix>-<type>-<date>. Default: vigil.")
    public String prefix = "vigil";

    @JsonPropertyDescription("Time partition of index names by event time. Default: Daily.")
    public Granularity granularity = Granularity.Daily;
  }

  public enum Granularity {
    Daily,
    Monthly,
    Yearly
  }
}
