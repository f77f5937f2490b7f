package dev.vigil.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The bytes AWS documents for each way a CloudWatch Logs subscription is delivered, built from the
 * documented formats (never from what an emulator writes):
 *
 * <ul>
 *   <li>the payload: "base64 encoded and compressed with the gzip format", one JSON document with
 *       {@code messageType}, {@code owner}, {@code logGroup}, {@code logStream}, {@code
 *       subscriptionFilters}, {@code logEvents[{id,timestamp,message}]}; {@code CONTROL_MESSAGE}s
 *       check that the destination is reachable
 *       (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html);
 *   <li>Firehose to S3: the records (each a gzip payload) concatenated without delimiters, then the
 *       stream's own compression
 *       (https://docs.aws.amazon.com/firehose/latest/dev/basic-deliver.html); with CloudWatch Logs
 *       decompression on, the decompressed payloads, optionally with a newline appended to each
 *       record; with message extraction, only the messages
 *       (https://docs.aws.amazon.com/firehose/latest/dev/writing-with-cloudwatch-logs.html,
 *       https://docs.aws.amazon.com/firehose/latest/dev/Message_extraction.html); the object name
 *       (https://docs.aws.amazon.com/firehose/latest/dev/s3-object-name.html);
 *   <li>Lambda: {@code {"awslogs":{"data":base64(gzip(payload))}}}
 *       (https://docs.aws.amazon.com/lambda/latest/dev/services-cloudwatchlogs.html); Kinesis Data
 *       Streams records seen by Lambda, {@code {"Records":[{"kinesis":{…,"data":…}}]}}
 *       (https://docs.aws.amazon.com/lambda/latest/dev/with-kinesis.html), and as {@code aws
 *       kinesis get-records} prints them, {@code {"Records":[{"Data":…}]}}
 *       (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html).
 * </ul>
 */
public final class CloudWatchLogsDelivery {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter FIREHOSE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter FIREHOSE_PREFIX =
      DateTimeFormatter.ofPattern("yyyy/MM/dd/HH/").withZone(ZoneOffset.UTC);

  /** The message of the one log event in a control message, as the documentation shows it. */
  public static final String CONTROL_MESSAGE_TEXT =
      "CWL CONTROL MESSAGE: Checking health of destination Firehose.";

  private CloudWatchLogsDelivery() {}

  /** One log event of a payload. */
  public record LogEvent(String id, long timestamp, String message) {}

  /** A {@code DATA_MESSAGE} payload (uncompressed JSON). */
  public record Payload(
      String owner, String logGroup, String logStream, String filter, List<LogEvent> events) {
    public byte[] json() {
      ObjectNode payload = JSON.createObjectNode();
      payload.put("messageType", "DATA_MESSAGE");
      payload.put("owner", owner);
      payload.put("logGroup", logGroup);
      payload.put("logStream", logStream);
      payload.putArray("subscriptionFilters").add(filter);
      ArrayNode logEvents = payload.putArray("logEvents");
      for (LogEvent event : events) {
        logEvents
            .addObject()
            .put("id", event.id())
            .put("timestamp", event.timestamp())
            .put("message", event.message());
      }
      return bytes(payload);
    }
  }

  /** The control message CloudWatch Logs sends when the subscription is created. */
  public static byte[] controlMessage() {
    ObjectNode payload = JSON.createObjectNode();
    payload.put("messageType", "CONTROL_MESSAGE");
    payload.put("owner", "CloudwatchLogs");
    payload.put("logGroup", "");
    payload.put("logStream", "");
    payload.putArray("subscriptionFilters");
    payload
        .putArray("logEvents")
        .addObject()
        .put("id", "")
        .put("timestamp", 1432826855000L)
        .put("message", CONTROL_MESSAGE_TEXT);
    return bytes(payload);
  }

  /** What Firehose's S3 destination compression does to the concatenated records. */
  public enum Compression {
    GZIP,
    UNCOMPRESSED
  }

  /** A Firehose object without processing: each record is CloudWatch Logs' gzip of a payload. */
  public static byte[] firehoseObject(Compression compression, byte[]... payloads) {
    ByteArrayOutputStream records = new ByteArrayOutputStream();
    for (byte[] payload : payloads) {
      records.writeBytes(gzip(payload));
    }
    byte[] concatenated = records.toByteArray();
    return compression == Compression.GZIP ? gzip(concatenated) : concatenated;
  }

  /**
   * A Firehose object with CloudWatch Logs decompression on (message extraction off): the payloads'
   * JSON, each followed by a newline when the stream appends a delimiter to records.
   */
  public static byte[] firehoseDecompressed(
      Compression compression, boolean newlineDelimiter, byte[]... payloads) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] payload : payloads) {
      out.writeBytes(payload);
      if (newlineDelimiter) {
        out.write('\n');
      }
    }
    byte[] plain = out.toByteArray();
    return compression == Compression.GZIP ? gzip(plain) : plain;
  }

  /** A Firehose object with decompression and message extraction on: the messages, one a line. */
  public static byte[] firehoseExtracted(Compression compression, List<String> messages) {
    StringBuilder out = new StringBuilder();
    for (String message : messages) {
      out.append(message).append('\n');
    }
    byte[] plain = out.toString().getBytes(StandardCharsets.UTF_8);
    return compression == Compression.GZIP ? gzip(plain) : plain;
  }

  /**
   * The key Firehose writes to with its default time prefix: {@code <prefix>YYYY/MM/dd/HH/<stream>-
   * <version>-<YYYY-MM-dd-HH-mm-ss>-<uuid>}, plus {@code .gz} with GZIP compression.
   */
  public static String firehoseKey(
      String prefix, String stream, Instant delivered, String uuid, Compression compression) {
    return prefix
        + FIREHOSE_PREFIX.format(delivered)
        + stream
        + "-1-"
        + FIREHOSE_TIME.format(delivered)
        + "-"
        + uuid
        + (compression == Compression.GZIP ? ".gz" : "");
  }

  /** The event a Lambda function subscribed to a log group receives. */
  public static byte[] lambdaEvent(byte[] payload) {
    ObjectNode event = JSON.createObjectNode();
    event.putObject("awslogs").put("data", base64Gzip(payload));
    return bytes(event);
  }

  /** The event a Lambda function reading the subscription's Kinesis data stream receives. */
  public static byte[] kinesisLambdaEvent(String streamArn, byte[]... payloads) {
    ObjectNode event = JSON.createObjectNode();
    ArrayNode records = event.putArray("Records");
    int sequence = 0;
    for (byte[] payload : payloads) {
      String sequenceNumber = "4959033192845512367484870829702604925050870596710252" + sequence++;
      ObjectNode record = records.addObject();
      record
          .putObject("kinesis")
          .put("kinesisSchemaVersion", "1.0")
          .put("partitionKey", "1")
          .put("sequenceNumber", sequenceNumber)
          .put("data", base64Gzip(payload))
          .put("approximateArrivalTimestamp", 1545084650.987);
      record
          .put("eventSource", "aws:kinesis")
          .put("eventVersion", "1.0")
          .put("eventID", "shardId-000000000006:" + sequenceNumber)
          .put("eventName", "aws:kinesis:record")
          .put("invokeIdentityArn", "arn:aws:iam::123456789012:role/lambda-role")
          .put("awsRegion", "us-east-1")
          .put("eventSourceARN", streamArn);
    }
    return bytes(event);
  }

  /** The records of the subscription's Kinesis data stream as {@code aws kinesis get-records}. */
  public static byte[] kinesisGetRecords(byte[]... payloads) {
    ObjectNode output = JSON.createObjectNode();
    ArrayNode records = output.putArray("Records");
    int sequence = 0;
    for (byte[] payload : payloads) {
      records
          .addObject()
          .put("Data", base64Gzip(payload))
          .put("PartitionKey", "cfb0cd73f3a6b9a3c68b7f2e1cb0f6a0")
          .put("ApproximateArrivalTimestamp", 1.404416086E9)
          .put(
              "SequenceNumber",
              "4959033192845512367484870829702604925050870596710252" + sequence++);
    }
    output.put("NextShardIterator", "AAAAAAAAAAE7TFs5cAl5ICkhYY1eVeDGWl6Wq2bKSqBN");
    output.put("MillisBehindLatest", 0);
    return bytes(output);
  }

  public static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String base64Gzip(byte[] payload) {
    return Base64.getEncoder().encodeToString(gzip(payload));
  }

  private static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
