package dev.vigil.ingester.it;

import dev.vigil.parts.MotoServer;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * One test's AWS side in moto: a log bucket whose object-created events go to a queue (a real S3
 * notification), and a dead-letter bucket. Names carry the test's name, so tests never share state
 * and moto is never reset under a running ingester.
 */
public final class AwsSetup {
  public final MotoServer moto;
  public final S3Client s3;
  public final SqsClient sqs;
  public final String bucket;
  public final String deadLetterBucket;
  public final String queueUrl;

  public AwsSetup(MotoServer moto, String name, Duration visibility) {
    this.moto = moto;
    this.s3 = moto.s3();
    this.sqs = moto.sqs();
    this.bucket = name + "-logs";
    this.deadLetterBucket = name + "-dead-letters";
    s3.createBucket(b -> b.bucket(bucket));
    s3.createBucket(b -> b.bucket(deadLetterBucket));
    queueUrl =
        sqs.createQueue(
                q ->
                    q.queueName(name + "-notifications")
                        .attributes(
                            Map.of(
                                QueueAttributeName.VISIBILITY_TIMEOUT,
                                String.valueOf(visibility.toSeconds()))))
            .queueUrl();
    String queueArn =
        sqs.getQueueAttributes(
                a -> a.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    s3.putBucketNotificationConfiguration(
        n ->
            n.bucket(bucket)
                .notificationConfiguration(
                    c ->
                        c.queueConfigurations(
                            q ->
                                q.id("vigil").queueArn(queueArn).events(Event.S3_OBJECT_CREATED))));
  }

  /** Uploads an object; S3 (moto) announces it on the queue. */
  public void put(String key, byte[] content) {
    s3.putObject(p -> p.bucket(bucket).key(key), RequestBody.fromBytes(content));
  }

  /** Sends a message to the queue directly (a re-delivery, an SNS envelope...). */
  public void send(String body) {
    sqs.sendMessage(m -> m.queueUrl(queueUrl).messageBody(body));
  }

  /** Uploads a file (streamed); S3 (moto) announces it on the queue. */
  public void put(String key, java.nio.file.Path file) {
    s3.putObject(p -> p.bucket(bucket).key(key), RequestBody.fromFile(file));
  }

  /** Messages that can be received now (not in flight). */
  public int visibleMessages() {
    return Integer.parseInt(
        sqs.getQueueAttributes(
                a ->
                    a.queueUrl(queueUrl)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
            .attributes()
            .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
  }

  /** Messages still in the queue, visible or in flight. */
  public int messagesLeft() {
    Map<QueueAttributeName, String> attributes =
        sqs.getQueueAttributes(
                a ->
                    a.queueUrl(queueUrl)
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes();
    return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Integer.parseInt(
            attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  /** Keys under the dead-letter bucket. */
  public java.util.List<String> deadLetterKeys() {
    return s3.listObjectsV2(l -> l.bucket(deadLetterBucket)).contents().stream()
        .map(o -> o.key())
        .toList();
  }

  public String deadLetterObject(String key) {
    return s3.getObjectAsBytes(g -> g.bucket(deadLetterBucket).key(key)).asUtf8String();
  }

  /** Ingester properties for this setup (queue "logs", S3 dead letters, moto endpoint). */
  public Map<String, String> ingesterProperties() {
    return Map.of(
        "vigil.ingester.queues.logs.url",
        queueUrl,
        "vigil.ingester.aws.region",
        MotoServer.REGION.id(),
        "vigil.ingester.aws.endpoint-override",
        moto.endpoint().toString(),
        "vigil.ingester.aws.s3-path-style",
        "true",
        "vigil.ingester.dead-letter.s3-bucket",
        deadLetterBucket);
  }

  /** The static credentials moto accepts, for an in-process ingester. */
  public static software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials() {
    return software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("testing", "testing"));
  }
}
