package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonClassDescription(
    "Where snapshots go, when they are taken, how long they and the hot indices are kept.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SnapshotPolicySpec {
  @JsonPropertyDescription(
      "OpenSearchConnection to snapshot. Default: the namespace's connection 'default'.")
  public ConnectionRef connectionRef;

  @JsonPropertyDescription(
      "Auto (Snapshot Management / ISM when the cluster has them, else Vigil itself), Plugin or BuiltIn."
          + " Default: Auto.")
  public Engine engine = Engine.Auto;

  @Required
  @JsonPropertyDescription("The snapshot repository.")
  public Repository repository;

  @Required
  @Pattern("^(\\S+\\s+){4}\\S+$")
  @JsonPropertyDescription(
      "Cron expression (5 fields, UTC) for taking snapshots, e.g. '0 3 * * *'.")
  public String schedule;

  @JsonPropertyDescription("Index patterns to snapshot. Default: vigil-*.")
  public List<String> indices = List.of("vigil-*");

  @JsonPropertyDescription("How many snapshots to keep.")
  public Retention retention;

  @JsonPropertyDescription(
      "Delete time-partitioned indices older than this from OpenSearch (S3 keeps the logs).")
  public List<HotRetention> hotRetention;

  @JsonPropertyDescription(
      "What happens to the repository registration when deleted. Default: Retain.")
  public DeletionPolicy deletionPolicy = DeletionPolicy.Retain;

  public enum Engine {
    Auto,
    Plugin,
    BuiltIn
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "self.type != 'S3' || has(self.s3)",
      message = "repository type S3 needs repository.s3")
  @ValidationRule(
      value = "self.type != 'Fs' || has(self.fs)",
      message = "repository type Fs needs repository.fs")
  public static class Repository {
    @Required
    @Pattern("^[a-z0-9][-a-z0-9_]*$")
    @JsonPropertyDescription("Repository name in OpenSearch.")
    public String name;

    @Required
    @JsonPropertyDescription("S3 (production) or Fs (a shared file system path; tests).")
    public RepositoryType type;

    @JsonPropertyDescription("For S3 repositories.")
    public S3Repository s3;

    @JsonPropertyDescription("For Fs repositories.")
    public FsRepository fs;
  }

  public enum RepositoryType {
    S3,
    Fs
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class S3Repository {
    @Required
    @JsonPropertyDescription("Bucket for snapshots.")
    public String bucket;

    @JsonPropertyDescription("Key prefix inside the bucket.")
    public String basePath;

    @JsonPropertyDescription("Bucket region.")
    public String region;

    @Pattern("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$")
    @JsonPropertyDescription(
        "Role Amazon OpenSearch Service assumes to write snapshots (role_arn setting).")
    public String roleArn;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class FsRepository {
    @Required
    @JsonPropertyDescription("A path listed in the cluster's path.repo.")
    public String location;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Retention {
    @Pattern("^[0-9]+(h|d)$")
    @JsonPropertyDescription("Delete snapshots older than this, e.g. 30d (never below minCount).")
    public String maxAge;

    @Min(1)
    @JsonPropertyDescription("Keep at most this many snapshots.")
    public Integer maxCount;

    @Min(0)
    @JsonPropertyDescription("Always keep at least this many snapshots. Default: 1.")
    public Integer minCount = 1;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "has(self.logType) != has(self.indexPattern)",
      message = "set exactly one of logType or indexPattern")
  public static class HotRetention {
    @JsonPropertyDescription("Log type whose indices expire.")
    public LogTypeName logType;

    @JsonPropertyDescription("Or an explicit index pattern.")
    public String indexPattern;

    @Required
    @Pattern("^[0-9]+(h|d)$")
    @JsonPropertyDescription("Delete indices whose time partition is older than this, e.g. 14d.")
    public String maxAge;

    @JsonPropertyDescription(
        "Only delete an index once a successful snapshot contains it. Default: true.")
    public Boolean requireSnapshot = true;
  }
}
