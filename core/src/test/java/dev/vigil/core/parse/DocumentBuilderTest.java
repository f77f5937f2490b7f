package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.LogType;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DocumentBuilderTest {
  private static final ObjectRef ORIGIN = new ObjectRef("b", "k");

  @Test
  void writesHttpAndUrlAsNestedEcsObjects() throws Exception {
    DocumentBuilder doc = new DocumentBuilder(ParseContext.JSON);
    doc.start();
    doc.timestamp(Instant.parse("2026-11-27T00:00:00Z"), null)
        .http("GET", 404, "1.1")
        .url("original", "http://h/p?q=1")
        .url("port", 80);
    JsonNode json = new ObjectMapper().readTree(doc.finish(LogType.ALB, ORIGIN));

    assertThat(json.at("/http/request/method").asText()).isEqualTo("GET");
    assertThat(json.at("/http/response/status_code").isInt()).isTrue();
    assertThat(json.at("/http/response/status_code").asInt()).isEqualTo(404);
    assertThat(json.at("/http/version").asText()).isEqualTo("1.1");
    assertThat(json.at("/url/original").asText()).isEqualTo("http://h/p?q=1");
    assertThat(json.at("/url/port").asInt()).isEqualTo(80);
  }

  @Test
  void httpAndUrlAreLeftOutWhenUnsetAndDoNotLeakIntoTheNextDocument() throws Exception {
    DocumentBuilder doc = new DocumentBuilder(ParseContext.JSON);
    doc.start();
    doc.timestamp(Instant.EPOCH, null).http("GET", 200, null).url("original", "/x");
    doc.finish(LogType.ALB, ORIGIN);
    doc.start();
    doc.timestamp(Instant.EPOCH, null).http(null, 500, null);
    JsonNode json = new ObjectMapper().readTree(doc.finish(LogType.ALB, ORIGIN));

    assertThat(json.has("url")).isFalse();
    assertThat(json.at("/http/request").isMissingNode()).isTrue();
    assertThat(json.at("/http/response/status_code").asInt()).isEqualTo(500);
  }

  @Test
  void recordFieldsNamedHttpOrUrlAreRenamedInsteadOfDuplicated() throws Exception {
    DocumentBuilder doc = new DocumentBuilder(ParseContext.JSON);
    var out = doc.start();
    doc.fieldName("http");
    out.writeString("raw");
    doc.fieldName("url");
    out.writeString("raw-url");
    doc.timestamp(Instant.EPOCH, null).http("PUT", null, null);
    JsonNode json = new ObjectMapper().readTree(doc.finish(LogType.ALB, ORIGIN));

    assertThat(json.at("/original_http").asText()).isEqualTo("raw");
    assertThat(json.at("/original_url").asText()).isEqualTo("raw-url");
    assertThat(json.at("/http/request/method").asText()).isEqualTo("PUT");
  }

  @Test
  void reservedSwitchAgreesWithTheReservedSet() {
    for (String name : DocumentBuilder.RESERVED) {
      org.assertj.core.api.Assertions.assertThat(DocumentBuilder.isReserved(name))
          .as(name)
          .isTrue();
    }
    for (String name : java.util.List.of("eventName", "Event", "events", "users", "@version", "")) {
      org.assertj.core.api.Assertions.assertThat(DocumentBuilder.isReserved(name))
          .as(name)
          .isFalse();
    }
  }
}
