package dev.vigil.ingester.queue;

import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** {@link MessageQueue} on Amazon SQS. */
public final class SqsMessageQueue implements MessageQueue {
  private final SqsClient sqs;
  private final SqsClient receiver;
  private final String name;
  private final String url;

  /**
   * @param receiver the client long polls go through (closed to end them on shutdown)
   */
  public SqsMessageQueue(SqsClient sqs, SqsClient receiver, String name, String url) {
    this.sqs = sqs;
    this.receiver = receiver;
    this.name = name;
    this.url = url;
  }

  @Override
  public String name() {
    return name;
  }

  public String url() {
    return url;
  }

  @Override
  public List<QueueMessage> receive(int max, Duration wait, Duration visibility) {
    return receiver
        .receiveMessage(
            r ->
                r.queueUrl(url)
                    .maxNumberOfMessages(max)
                    .waitTimeSeconds((int) wait.toSeconds())
                    .visibilityTimeout((int) Math.max(1, visibility.toSeconds()))
                    .messageSystemAttributeNames(
                        MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
        .messages()
        .stream()
        .map(
            m ->
                new QueueMessage(
                    m.messageId(),
                    m.receiptHandle(),
                    m.body(),
                    Integer.parseInt(
                        m.attributes()
                            .getOrDefault(
                                MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1"))))
        .toList();
  }

  @Override
  public void delete(QueueMessage message) {
    sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()));
  }

  @Override
  public void changeVisibility(QueueMessage message, Duration visibility) {
    sqs.changeMessageVisibility(
        r ->
            r.queueUrl(url)
                .receiptHandle(message.receiptHandle())
                .visibilityTimeout((int) visibility.toSeconds()));
  }
}
