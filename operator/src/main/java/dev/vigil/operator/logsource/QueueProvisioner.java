package dev.vigil.operator.logsource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The queue a LogSource's bucket announces objects to: created with a dead-letter queue, a redrive
 * policy (after maxReceiveCount failed deliveries a message moves to the DLQ) and a policy that
 * lets exactly that bucket send to it — or an existing queue, adopted by ARN and left as it is.
 */
public final class QueueProvisioner {
  /** Messages stay 14 days (the SQS maximum): a long ingester outage loses nothing. */
  private static final String RETENTION = String.valueOf(Duration.ofDays(14).toSeconds());

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SqsClient sqs;
  private final List<String> rewritten = new java.util.ArrayList<>();

  public QueueProvisioner(SqsClient sqs) {
    this.sqs = sqs;
  }

  /** The queue and its dead-letter queue (null when adopted: the owner decides). */
  public record Queue(String url, String arn, String deadLetterUrl, String deadLetterArn) {}

  /** Creates or updates Vigil's queues; attributes are set every time, so drift is repaired. */
  public Queue ensure(LogSourceNames names, String bucket, String sourceAccount, int maxReceive) {
    String dlqUrl =
        sqs.createQueue(
                q ->
                    q.queueName(names.deadLetterQueue())
                        .attributes(Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, RETENTION)))
            .queueUrl();
    String dlqArn = arn(dlqUrl);
    String url = sqs.createQueue(q -> q.queueName(names.queue())).queueUrl();
    String arn = arn(url);
    Map<QueueAttributeName, String> wanted =
        Map.of(
            QueueAttributeName.MESSAGE_RETENTION_PERIOD,
            RETENTION,
            QueueAttributeName.REDRIVE_POLICY,
            "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":" + maxReceive + "}",
            QueueAttributeName.POLICY,
            policy(arn, bucket, sourceAccount));
    Map<QueueAttributeName, String> current =
        sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(wanted.keySet())).attributes();
    List<String> differing = differing(wanted, current);
    if (!differing.isEmpty()) {
      sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(wanted));
      rewritten.addAll(differing);
    }
    return new Queue(url, arn, dlqUrl, dlqArn);
  }

  /** An existing queue named by ARN; its settings (redrive, policy) stay its owner's. */
  public Queue adopt(String queueArn) {
    String[] parts = queueArn.split(":", 6); // arn:aws:sqs:region:account:name
    String url =
        sqs.getQueueUrl(r -> r.queueName(parts[5]).queueOwnerAWSAccountId(parts[4])).queueUrl();
    return new Queue(url, queueArn, null, null);
  }

  /** Deletes Vigil's queues; already gone counts as done. */
  public void delete(LogSourceNames names) {
    for (String name : List.of(names.queue(), names.deadLetterQueue())) {
      try {
        String url = sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
        sqs.deleteQueue(r -> r.queueUrl(url));
      } catch (QueueDoesNotExistException gone) {
        // nothing to delete
      }
    }
  }

  /** How many messages wait and are being worked on; the oldest's age comes from CloudWatch. */
  public ReplicaPlanner.QueueDepth depth(String url, Duration oldestAge) {
    Map<QueueAttributeName, String> a =
        sqs.getQueueAttributes(
                r ->
                    r.queueUrl(url)
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes();
    return new ReplicaPlanner.QueueDepth(
        count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
        count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
        oldestAge);
  }

  private static long count(Map<QueueAttributeName, String> attributes, QueueAttributeName name) {
    return Long.parseLong(attributes.getOrDefault(name, "0"));
  }

  /** The queue attributes {@link #ensure} had to write (since this provisioner was made). */
  public List<String> rewritten() {
    return List.copyOf(rewritten);
  }

  /**
   * The attributes whose current value is not the wanted one, sorted. Policies come back
   * re-serialized (spacing, key order): compared as JSON.
   */
  private static List<String> differing(
      Map<QueueAttributeName, String> wanted, Map<QueueAttributeName, String> current) {
    return wanted.entrySet().stream()
        .filter(
            e -> {
              String now = current.get(e.getKey());
              return now == null || !json(e.getValue()).equals(json(now));
            })
        .map(e -> e.getKey().toString())
        .sorted()
        .toList();
  }

  private static JsonNode json(String value) {
    try {
      return JSON.readTree(value);
    } catch (JsonProcessingException e) {
      return JSON.getNodeFactory().textNode(value);
    }
  }

  private String arn(String url) {
    return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes()
        .get(QueueAttributeName.QUEUE_ARN);
  }

  /**
   * Only S3, and only for this bucket (in the expected account when known), may send: the
   * confused-deputy guard AWS documents for S3 → SQS notifications.
   */
  static String policy(String queueArn, String bucket, String sourceAccount) {
    String account =
        sourceAccount == null
            ? ""
            : ",\"StringEquals\":{\"aws:SourceAccount\":\"" + sourceAccount + "\"}";
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"vigil-s3-notifications\","
        + "\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"s3.amazonaws.com\"},"
        + "\"Action\":\"sqs:SendMessage\",\"Resource\":\""
        + queueArn
        + "\",\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:s3:::"
        + bucket
        + "\"}"
        + account
        + "}}]}";
  }
}
