package dev.vigil.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Meter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The least-privilege policies of docs/iam.md, and AWS SDK operations as the IAM actions that
 * authorize them: for tests that hold the AWS calls Vigil counted against what the document allows.
 */
public final class IamPolicies {
  /** SDK service names to IAM prefixes. */
  private static final Map<String, String> PREFIXES =
      Map.of(
          "Sqs", "sqs",
          "S3", "s3",
          "Sts", "sts",
          "CloudWatchLogs", "logs",
          "Firehose", "firehose",
          "EventBridge", "events",
          "CloudWatch", "cloudwatch",
          "Organizations", "organizations");

  /** S3 API operations whose IAM action has another name. */
  private static final Map<String, String> S3_ACTIONS =
      Map.of(
          "GetBucketNotificationConfiguration", "GetBucketNotification",
          "PutBucketNotificationConfiguration", "PutBucketNotification",
          "GetBucketLifecycleConfiguration", "GetLifecycleConfiguration",
          "PutBucketLifecycleConfiguration", "PutLifecycleConfiguration",
          "DeleteBucketLifecycle", "PutLifecycleConfiguration",
          "ListObjectsV2", "ListBucket",
          "ListObjects", "ListBucket",
          "HeadObject", "GetObject");

  /** SQS batch operations are authorized by their single-message actions (SQS developer guide). */
  private static final Map<String, String> SQS_ACTIONS =
      Map.of(
          "SendMessageBatch", "SendMessage",
          "DeleteMessageBatch", "DeleteMessage",
          "ChangeMessageVisibilityBatch", "ChangeMessageVisibility");

  private IamPolicies() {}

  /** The IAM action that authorizes an SDK call, e.g. (S3, ListObjectsV2) → s3:ListBucket. */
  public static String action(String service, String operation) {
    String prefix = PREFIXES.get(service);
    if (prefix == null) {
      throw new AssertionError("an AWS service docs/iam.md does not cover: " + service);
    }
    Map<String, String> renamed =
        switch (prefix) {
          case "s3" -> S3_ACTIONS;
          case "sqs" -> SQS_ACTIONS;
          default -> Map.of();
        };
    return prefix + ":" + renamed.getOrDefault(operation, operation);
  }

  /**
   * The IAM actions behind the calls a three-tag AWS call counter counted ({@code service} and
   * {@code operation} tags, as {@code dev.vigil.aws.AwsCallCounter} writes them).
   */
  public static Set<String> actions(Collection<? extends Meter> counted) {
    Set<String> out = new TreeSet<>();
    for (Meter meter : counted) {
      out.add(action(meter.getId().getTag("service"), meter.getId().getTag("operation")));
    }
    return out;
  }

  /** The actions of the first JSON policy under the heading {@code ## <heading>} of docs/iam.md. */
  public static Set<String> documented(String heading) {
    try {
      String doc = Files.readString(RepositoryRoot.find().resolve("docs/iam.md"));
      int section = doc.indexOf("## " + heading);
      if (section < 0) {
        throw new AssertionError("docs/iam.md has no section '" + heading + "'");
      }
      int start = doc.indexOf("```json", section);
      String json = doc.substring(start + "```json".length(), doc.indexOf("```", start + 7));
      Set<String> actions = new TreeSet<>();
      for (JsonNode statement : new ObjectMapper().readTree(json).path("Statement")) {
        statement.path("Action").forEach(a -> actions.add(a.asText()));
      }
      return actions;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
