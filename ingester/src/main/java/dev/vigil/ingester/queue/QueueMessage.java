package dev.vigil.ingester.queue;

/** One received SQS message. {@code receiveCount} is SQS's ApproximateReceiveCount. */
public record QueueMessage(String messageId, String receiptHandle, String body, int receiveCount) {}
