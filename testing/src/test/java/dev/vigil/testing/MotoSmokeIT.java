package dev.vigil.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.parts.MotoServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

@ExtendWith(RealPartsExtension.class)
class MotoSmokeIT {

  @Test
  void objectPutInBucketIsAnnouncedOnSqsQueue(MotoServer moto) {
    S3Client s3 = moto.s3();
    SqsClient sqs = moto.sqs();
    s3.createBucket(b -> b.bucket("smoke-logs"));
    String queueUrl = sqs.createQueue(q -> q.queueName("smoke-notifications")).queueUrl();
    String queueArn =
        sqs.getQueueAttributes(
                a -> a.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);

    s3.putBucketNotificationConfiguration(
        n ->
            n.bucket("smoke-logs")
                .notificationConfiguration(
                    c ->
                        c.queueConfigurations(
                            q ->
                                q.id("vigil").queueArn(queueArn).events(Event.S3_OBJECT_CREATED))));
    s3.putObject(
        p ->
            p.bucket("smoke-logs")
                .key("AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/27/a.json"),
        RequestBody.fromString("{\"Records\":[]}"));

    List<Message> received =
        receiveUntil(sqs, queueUrl, "ObjectCreated:Put", Duration.ofSeconds(20));
    JsonNode record = firstRecordOf(received, "ObjectCreated:Put");
    assertThat(record.at("/s3/bucket/name").asText()).isEqualTo("smoke-logs");
    // Event notifications carry the key URL-encoded, as S3 does.
    assertThat(URLDecoder.decode(record.at("/s3/object/key").asText(), StandardCharsets.UTF_8))
        .isEqualTo("AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/27/a.json");
  }

  private static JsonNode firstRecordOf(List<Message> messages, String eventName) {
    ObjectMapper json = new ObjectMapper();
    return messages.stream()
        .map(
            m -> {
              try {
                return json.readTree(m.body());
              } catch (Exception e) {
                throw new AssertionError("SQS message is not JSON: " + m.body(), e);
              }
            })
        .flatMap(
            body ->
                java.util.stream.StreamSupport.stream(body.path("Records").spliterator(), false))
        .filter(r -> eventName.equals(r.path("eventName").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + eventName + " record in " + messages));
  }

  /**
   * Long-polls until a message containing {@code marker} arrives (moto may send an s3:TestEvent
   * first).
   */
  private static List<Message> receiveUntil(
      SqsClient sqs, String queueUrl, String marker, Duration timeout) {
    List<Message> all = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && all.stream().noneMatch(m -> m.body().contains(marker))) {
      all.addAll(
          sqs.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(2).maxNumberOfMessages(10))
              .messages());
    }
    assertThat(all)
        .as("messages on %s", queueUrl)
        .anySatisfy(m -> assertThat(m.body()).contains(marker));
    return all;
  }
}
