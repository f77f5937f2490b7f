package dev.vigil.ingester.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the S3 event notifications an SQS message can carry: S3's own event ({@code Records[]}),
 * the same wrapped in an SNS envelope (unless raw delivery is on), an EventBridge {@code Object
 * Created} event, and the {@code s3:TestEvent}. Object keys arrive URL-encoded (form encoding: a
 * space is '+') in all of them and are decoded here, so ids and S3 requests use the real key.
 */
public final class S3Notifications {
  private static final ObjectMapper JSON = new ObjectMapper();

  private S3Notifications() {}

  public static Notification parse(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return new Notification.Unrecognized("message body is not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      return new Notification.Unrecognized("message body is not a JSON object");
    }
    if ("Notification".equals(root.path("Type").asText()) && root.path("Message").isTextual()) {
      // SNS envelope: the S3 (or EventBridge) event is the Message string.
      try {
        root = JSON.readTree(root.path("Message").asText());
      } catch (JsonProcessingException e) {
        return new Notification.Unrecognized(
            "SNS message does not carry JSON: " + e.getOriginalMessage());
      }
      if (root == null || !root.isObject()) {
        return new Notification.Unrecognized("SNS message does not carry a JSON object");
      }
    }
    if ("s3:TestEvent".equals(root.path("Event").asText())) {
      return new Notification.TestEvent();
    }
    if (root.path("Records").isArray()) {
      return s3Event(root.path("Records"));
    }
    if ("aws.s3".equals(root.path("source").asText()) && root.has("detail-type")) {
      return eventBridge(root);
    }
    return new Notification.Unrecognized(
        "neither an S3 event (Records), an SNS-wrapped one, an EventBridge aws.s3 event nor an"
            + " s3:TestEvent");
  }

  private static Notification s3Event(JsonNode records) {
    List<S3ObjectEvent> created = new ArrayList<>();
    List<String> other = new ArrayList<>();
    for (JsonNode record : records) {
      String name = record.path("eventName").asText("");
      JsonNode s3 = record.path("s3");
      if (!s3.isObject()) {
        return new Notification.Unrecognized("a record of Records[] has no s3 object");
      }
      if (!name.startsWith("ObjectCreated:")) {
        other.add(name);
        continue;
      }
      String bucket = s3.path("bucket").path("name").asText("");
      String key = s3.path("object").path("key").asText("");
      if (bucket.isEmpty() || key.isEmpty()) {
        return new Notification.Unrecognized(name + " record without s3.bucket.name/object.key");
      }
      created.add(
          new S3ObjectEvent(bucket, decode(key), s3.path("object").path("size").asLong(-1)));
    }
    if (created.isEmpty()) {
      return new Notification.Ignored(
          other.isEmpty() ? "no records" : "no ObjectCreated record: " + String.join(", ", other));
    }
    return new Notification.ObjectsCreated(created);
  }

  private static Notification eventBridge(JsonNode event) {
    String type = event.path("detail-type").asText();
    if (!"Object Created".equals(type)) {
      return new Notification.Ignored("EventBridge " + type);
    }
    JsonNode detail = event.path("detail");
    String bucket = detail.path("bucket").path("name").asText("");
    String key = detail.path("object").path("key").asText("");
    if (bucket.isEmpty() || key.isEmpty()) {
      return new Notification.Unrecognized(
          "EventBridge Object Created without detail.bucket.name/detail.object.key");
    }
    return new Notification.ObjectsCreated(
        List.of(
            new S3ObjectEvent(bucket, decode(key), detail.path("object").path("size").asLong(-1))));
  }

  /** Form decoding, as S3 encodes keys in notifications ("red flower.jpg" is "red+flower.jpg"). */
  static String decode(String key) {
    try {
      return URLDecoder.decode(key, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notEncoded) {
      return key;
    }
  }
}
