package dev.vigil.operator.logsource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.operator.KubeApiServerResource;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The operator policy of docs/iam.md (its first JSON block), and SDK operations as IAM actions. */
final class IamPolicyDocument {
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
          "DeleteBucketLifecycle", "PutLifecycleConfiguration");

  private IamPolicyDocument() {}

  static String action(String service, String operation) {
    String prefix = PREFIXES.get(service);
    if (prefix == null) {
      throw new AssertionError("unknown AWS service in vigil_aws_calls_total: " + service);
    }
    return prefix
        + ":"
        + ("s3".equals(prefix) ? S3_ACTIONS.getOrDefault(operation, operation) : operation);
  }

  static Set<String> operatorActions() throws IOException {
    String doc = Files.readString(KubeApiServerResource.repositoryRoot().resolve("docs/iam.md"));
    int start = doc.indexOf("```json", doc.indexOf("## Operator policy"));
    String json = doc.substring(start + "```json".length(), doc.indexOf("```", start + 7));
    Set<String> actions = new TreeSet<>();
    for (JsonNode statement : new ObjectMapper().readTree(json).path("Statement")) {
      statement.path("Action").forEach(a -> actions.add(a.asText()));
    }
    return actions;
  }
}
