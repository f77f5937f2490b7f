package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

@JsonClassDescription(
    "What to replay: a LogSource's archive (logSourceRef) or a bucket of its own (s3, aws), the"
        + " key-date range, and where the documents go. Immutable: a Job runs it once; to replay"
        + " again, create another LogReplay.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self == oldSelf",
    message = "a LogReplay's spec is immutable: create another LogReplay (and delete this one)")
@ValidationRule(
    value = "has(self.logSourceRef) != has(self.s3)",
    message = "name exactly one of logSourceRef (replay that LogSource's archive) and s3")
@ValidationRule(
    value = "self.to >= self.from",
    message = "to must be the same day as from or later")
@ValidationRule(
    value = "!has(self.logSourceRef) || !has(self.aws)",
    message = "with logSourceRef the LogSource's aws (region, roleArn) is used; leave aws out")
public class LogReplaySpec {
  static final String DAY = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";

  @JsonPropertyDescription(
      "Replay the archive of this LogSource (same namespace): its bucket, prefix, region, role,"
          + " log type, connection and ingester image and resources, unless set here.")
  public LocalRef logSourceRef;

  @JsonPropertyDescription(
      "Or: the bucket (and prefix) to replay, for an archive no LogSource reads.")
  public Location s3;

  @JsonPropertyDescription(
      "With s3: region and role for reading the bucket. Default: the operator's region and the"
          + " ingester pods' own identity.")
  public Aws aws;

  @JsonPropertyDescription(
      "Only keys under this prefix, e.g. AWSLogs/123456789012/CloudTrail/eu-west-1/. With"
          + " logSourceRef it replaces the LogSource's prefix (narrow it to one account or region)."
          + " Default: the LogSource's prefix, or s3.prefix.")
  public String prefix;

  @Required
  @Pattern(DAY)
  @JsonPropertyDescription(
      "First day (YYYY-MM-DD) whose objects are replayed, by the date in their key.")
  public String from;

  @Required
  @Pattern(DAY)
  @JsonPropertyDescription("Last day (YYYY-MM-DD) included, by the date in the object keys.")
  public String to;

  @JsonPropertyDescription(
      "Log type of the objects, or auto to detect each object's type. Default: the LogSource's"
          + " log type, or auto.")
  public LogTypeName logType;

  @Pattern("^[a-z0-9][a-z0-9_.-]*$")
  @JsonPropertyDescription(
      "Index prefix of the replayed documents: <indexPrefix>-<type>-<date>, apart from the live"
          + " indices. Default: vigil-replay.")
  public String indexPrefix;

  @JsonPropertyDescription(
      "OpenSearchConnection the documents go to. Default: the LogSource's, or the namespace's"
          + " connection 'default'.")
  public ConnectionRef connectionRef;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class LocalRef {
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @JsonPropertyDescription("Name of the resource in this namespace.")
    public String name;

    public LocalRef() {}

    public LocalRef(String name) {
      this.name = name;
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Location {
    @Required
    @Pattern("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
    @JsonPropertyDescription("Bucket name.")
    public String bucket;

    @JsonPropertyDescription(
        "Key prefix of the logs (spec.prefix narrows it). Default: whole bucket.")
    public String prefix;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Aws {
    @Pattern("^[a-z]{2}(-[a-z]+)+-[0-9]+$")
    @JsonPropertyDescription("Region of the bucket. Default: the operator's region.")
    public String region;

    @Pattern("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$")
    @JsonPropertyDescription(
        "Role the replay assumes to read the bucket (a log-archive account), and the operator to"
            + " read the replay's checkpoint.")
    public String roleArn;

    @JsonPropertyDescription("External id required by the role's trust policy, if any.")
    public String externalId;
  }
}
