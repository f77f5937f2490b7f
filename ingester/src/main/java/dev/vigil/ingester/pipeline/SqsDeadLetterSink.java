package dev.vigil.ingester.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Dead letters as SQS messages, one per letter, sent ten at a time. A document too large for a
 * message (256 KiB) is cut to its first bytes ({@code documentHead}, with {@code documentBytes}).
 */
public final class SqsDeadLetterSink implements DeadLetterSink {
  private static final int MAX_MESSAGE_BYTES = 256 * 1024;
  private static final int MAX_DOCUMENT_BYTES = 200 * 1024;

  private final SqsClient sqs;
  private final String url;

  public SqsDeadLetterSink(SqsClient sqs, String url) {
    this.sqs = sqs;
    this.url = url;
  }

  @Override
  public void write(List<DeadLetter> letters) throws IOException {
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
    int bytes = 0;
    for (DeadLetter letter : letters) {
      String body = new String(letter.toJson(MAX_DOCUMENT_BYTES), StandardCharsets.UTF_8);
      int size = body.getBytes(StandardCharsets.UTF_8).length;
      if (entries.size() == 10 || bytes + size > MAX_MESSAGE_BYTES) {
        send(entries);
        entries.clear();
        bytes = 0;
      }
      entries.add(
          SendMessageBatchRequestEntry.builder()
              .id(String.valueOf(entries.size()))
              .messageBody(body)
              .build());
      bytes += size;
    }
    if (!entries.isEmpty()) {
      send(entries);
    }
  }

  private void send(List<SendMessageBatchRequestEntry> entries) throws IOException {
    try {
      SendMessageBatchResponse response =
          sqs.sendMessageBatch(r -> r.queueUrl(url).entries(List.copyOf(entries)));
      if (!response.failed().isEmpty()) {
        throw new IOException(
            response.failed().size()
                + " dead letters refused by "
                + url
                + ": "
                + response.failed().get(0).message());
      }
    } catch (SdkException e) {
      throw new IOException("cannot send dead letters to " + url + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return url;
  }
}
