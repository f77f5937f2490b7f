package dev.vigil.ingester.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class S3NotificationsTest {
  // Shape of S3's own event (docs: notification-content-structure), key form-encoded.
  static String s3Event(String eventName, String bucket, String encodedKey) {
    return """
        {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",
         "eventTime":"2026-11-27T10:00:00.000Z","eventName":"%s",
         "s3":{"s3SchemaVersion":"1.0","configurationId":"vigil",
               "bucket":{"name":"%s","arn":"arn:aws:s3:::%s"},
               "object":{"key":"%s","size":1234,"eTag":"abc","sequencer":"0055AED6DCD90281E5"}}}]}
        """
        .formatted(eventName, bucket, bucket, encodedKey);
  }

  @Test
  void plainS3EventNamesTheObjectWithItsKeyDecoded() {
    Notification n =
        S3Notifications.parse(
            s3Event(
                "ObjectCreated:Put",
                "logs",
                "AWSLogs%2F123456789012%2FCloudTrail%2Fus-east-1%2F2026%2F11%2F27%2Fred+flower%3D1.json.gz"));

    assertThat(n)
        .isEqualTo(
            new Notification.ObjectsCreated(
                List.of(
                    new S3ObjectEvent(
                        "logs",
                        "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/27/red flower=1.json.gz",
                        1234))));
  }

  @Test
  void snsEnvelopeIsUnwrapped() {
    String inner = s3Event("ObjectCreated:CompleteMultipartUpload", "logs", "a/b+c.gz");
    String sns =
        """
        {"Type":"Notification","MessageId":"22b80b92","TopicArn":"arn:aws:sns:us-east-1:123456789012:logs",
         "Subject":"Amazon S3 Notification","Message":%s,"Timestamp":"2026-11-27T10:00:01.000Z",
         "SignatureVersion":"1","Signature":"EXAMPLE","SigningCertURL":"https://sns","UnsubscribeURL":"https://sns"}
        """
            .formatted(com.fasterxml.jackson.databind.node.TextNode.valueOf(inner).toString());

    assertThat(S3Notifications.parse(sns))
        .isEqualTo(
            new Notification.ObjectsCreated(List.of(new S3ObjectEvent("logs", "a/b c.gz", 1234))));
  }

  @Test
  void eventBridgeObjectCreatedIsUnderstood() {
    // Shape of the documented EventBridge "Object Created" event.
    String event =
        """
        {"version":"0","id":"17793124-05d4-b198-2fde-7ededc63b103","detail-type":"Object Created",
         "source":"aws.s3","account":"111122223333","time":"2026-11-27T00:00:00Z","region":"ca-central-1",
         "resources":["arn:aws:s3:::logs"],
         "detail":{"version":"0","bucket":{"name":"logs"},
                   "object":{"key":"waf/aws-waf-logs-x%2B1.gz","size":5,"etag":"b1946ac9","sequencer":"617f08299329d189"},
                   "request-id":"N4N7GDK58NMKJ12R","requester":"123456789012","reason":"PutObject"}}
        """;

    assertThat(S3Notifications.parse(event))
        .isEqualTo(
            new Notification.ObjectsCreated(
                List.of(new S3ObjectEvent("logs", "waf/aws-waf-logs-x+1.gz", 5))));
  }

  @Test
  void testEventIsRecognisedEvenInsideSns() {
    String test =
        """
        {"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-11-27T10:00:00.000Z",
         "Bucket":"logs","RequestId":"5582815E1AEA5ADF","HostId":"8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3e"}
        """;
    String wrapped =
        "{\"Type\":\"Notification\",\"Message\":"
            + com.fasterxml.jackson.databind.node.TextNode.valueOf(test)
            + "}";

    assertThat(S3Notifications.parse(test)).isInstanceOf(Notification.TestEvent.class);
    assertThat(S3Notifications.parse(wrapped)).isInstanceOf(Notification.TestEvent.class);
  }

  @Test
  void removalsAndOtherEventBridgeTypesAreIgnored() {
    assertThat(S3Notifications.parse(s3Event("ObjectRemoved:Delete", "logs", "a")))
        .isEqualTo(new Notification.Ignored("no ObjectCreated record: ObjectRemoved:Delete"));
    assertThat(
            S3Notifications.parse(
                "{\"source\":\"aws.s3\",\"detail-type\":\"Object Deleted\",\"detail\":{}}"))
        .isEqualTo(new Notification.Ignored("EventBridge Object Deleted"));
  }

  @Test
  void anythingElseIsUnrecognisedWithAReason() {
    assertThat(S3Notifications.parse("not json"))
        .isInstanceOf(Notification.Unrecognized.class)
        .extracting(n -> ((Notification.Unrecognized) n).reason())
        .asString()
        .startsWith("message body is not JSON");
    assertThat(S3Notifications.parse("{\"hello\":1}"))
        .isInstanceOf(Notification.Unrecognized.class);
    assertThat(S3Notifications.parse("[1]")).isInstanceOf(Notification.Unrecognized.class);
  }
}
