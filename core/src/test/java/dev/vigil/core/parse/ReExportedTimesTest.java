package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.LogType;
import dev.vigil.core.TestData;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Records whose time another tool wrote back in another form — ISO-8601 text where AWS writes epoch
 * milliseconds (WAF, CloudWatch Logs), {@code YYYY-MM-DD HH:MM:SS.sss} where AWS writes ISO-8601
 * (CloudTrail, GuardDuty) — are read at the same instant; a time that is neither is still rejected
 * with its reason.
 */
class ReExportedTimesTest {
  private static final String WAF_RAW = "opensearch-catalog/waf/raw.log";
  private static final String GUARDDUTY =
      "aws-samples-guardduty-automated-response/guardduty/guardduty_iam_event.json";

  @Test
  void wafTimestampAsIsoTextIsTheSameInstant() {
    String line = firstLine(WAF_RAW);
    assertThat(line).contains("\"timestamp\":1679548657700");
    for (String form :
        new String[] {"\"2023-03-23T05:17:37.700Z\"", "\"2023-03-23 05:17:37.700\""}) {
      CollectingSink sink =
          parse(line.replace("1679548657700", form), "waf/export.json", LogType.WAF);
      assertThat(sink.rejections).isEmpty();
      assertThat(sink.documents.get(0).timestamp())
          .isEqualTo(Instant.parse("2023-03-23T05:17:37.700Z"));
      assertThat(sink.sources().get(0).at("/@timestamp").asText())
          .isEqualTo("2023-03-23T05:17:37.700Z");
      // The record's own field too, in the form its mapping (epoch_millis) takes.
      assertThat(sink.sources().get(0).at("/timestamp").isNumber()).isTrue();
      assertThat(sink.sources().get(0).at("/timestamp").asLong()).isEqualTo(1679548657700L);
    }
  }

  @Test
  void cloudWatchLogEventTimestampAsIsoTextIsTheSameInstant() {
    String payload =
        "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"123456789012\",\"logGroup\":\"g\","
            + "\"logStream\":\"s\",\"subscriptionFilters\":[\"f\"],\"logEvents\":["
            + "{\"id\":\"1\",\"timestamp\":\"2026-11-27T12:00:00.046Z\",\"message\":\"a\"},"
            + "{\"id\":\"2\",\"timestamp\":\"2026-11-27 12:00:00.046\",\"message\":\"b\"},"
            + "{\"id\":\"3\",\"timestamp\":\"27/Nov/2026 12:00\",\"message\":\"c\"}]}";

    CollectingSink sink = parse(payload, "cwl/export.json", LogType.CLOUDWATCH);

    assertThat(sink.documents)
        .extracting(ParsedDocument::timestamp)
        .containsExactly(
            Instant.parse("2026-11-27T12:00:00.046Z"), Instant.parse("2026-11-27T12:00:00.046Z"));
    assertThat(sink.rejections)
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.reason())
                    .isEqualTo(
                        "log event timestamp must be epoch milliseconds or an ISO-8601 time,"
                            + " found a string '27/Nov/2026 12:00'"));
  }

  @Test
  void cloudTrailEventTimeWithASpaceIsReadAndWrittenBackAsIso() {
    String records =
        "{\"Records\":["
            + event("a1", "2026-11-27 12:01:00.123")
            + ","
            + event("a2", "2026-11-27T12:01:00Z")
            + ","
            + event("a3", "Nov 27 2026 12:01")
            + ","
            + event("a4", "2026-11-27 12:02:00Z")
            + "]}";

    CollectingSink sink = parse(records, "cloudtrail/export.json", LogType.CLOUDTRAIL);

    assertThat(sink.documents)
        .extracting(ParsedDocument::id, ParsedDocument::timestamp)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a1", Instant.parse("2026-11-27T12:01:00.123Z")),
            org.assertj.core.groups.Tuple.tuple("a2", Instant.parse("2026-11-27T12:01:00Z")),
            org.assertj.core.groups.Tuple.tuple("a4", Instant.parse("2026-11-27T12:02:00Z")));
    assertThat(sink.sources())
        .extracting(d -> d.at("/@timestamp").asText())
        .containsExactly(
            "2026-11-27T12:01:00.123Z", "2026-11-27T12:01:00Z", "2026-11-27T12:02:00Z");
    assertThat(sink.rejections)
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).contains("'Nov 27 2026 12:01'"));
  }

  @Test
  void guardDutyUpdatedAtWithASpaceIsTheSameInstant() {
    String finding = new String(TestData.bytes(GUARDDUTY), StandardCharsets.UTF_8);
    assertThat(finding).contains("\"updatedAt\": \"2022-01-13T00:00:47.427Z\"");

    CollectingSink sink =
        parse(
            finding.replace("2022-01-13T00:00:47.427Z", "2022-01-13 00:00:47.427"),
            "guardduty/export.json",
            LogType.GUARDDUTY);

    assertThat(sink.rejections).isEmpty();
    assertThat(sink.documents.get(0).timestamp())
        .isEqualTo(Instant.parse("2022-01-13T00:00:47.427Z"));
    assertThat(sink.sources().get(0).at("/@timestamp").asText())
        .isEqualTo("2022-01-13T00:00:47.427Z");
  }

  private static String event(String id, String time) {
    return "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\",\"accountId\":"
        + "\"123456789012\",\"userName\":\"alice\"},\"eventTime\":\""
        + time
        + "\",\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"CreateUser\","
        + "\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"198.51.100.7\",\"eventID\":\""
        + id
        + "\",\"recipientAccountId\":\"123456789012\"}";
  }

  private static String firstLine(String path) {
    return new String(TestData.bytes(path), StandardCharsets.UTF_8)
        .lines()
        .findFirst()
        .orElseThrow();
  }

  private static CollectingSink parse(String text, String key, LogType type) {
    return CollectingSink.parse(
        text.getBytes(StandardCharsets.UTF_8), new ObjectRef("logs", key), type);
  }
}
