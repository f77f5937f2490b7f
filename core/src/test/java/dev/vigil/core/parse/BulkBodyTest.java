package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.LogType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BulkBodyTest {
  @Test
  void writesActionLineThenSourcePerDocumentEscapingIds() throws Exception {
    BulkBody bulk = new BulkBody(256);
    byte[] source = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    bulk.add(
        new ParsedDocument(
            LogType.WAF, "vigil-waf-2026.11.27", "id\"with\\quote-é-😀", Instant.EPOCH, source));
    bulk.add(new ParsedDocument(LogType.WAF, "vigil-waf-2026.11.27", "b", Instant.EPOCH, source));
    bulk.add(new ParsedDocument(LogType.WAF, "vigil-waf-2026.11.28", "c", Instant.EPOCH, source));

    String[] lines = new String(bulk.toByteArray(), StandardCharsets.UTF_8).split("\n", -1);
    assertThat(lines).hasSize(7);
    assertThat(lines[6]).isEmpty(); // the body ends with a newline, as _bulk requires
    assertThat(lines[2])
        .isEqualTo("{\"index\":{\"_index\":\"vigil-waf-2026.11.27\",\"_id\":\"b\"}}");
    assertThat(lines[4])
        .isEqualTo("{\"index\":{\"_index\":\"vigil-waf-2026.11.28\",\"_id\":\"c\"}}");
    var action = new ObjectMapper().readTree(lines[0]).get("index");
    assertThat(action.get("_index").asText()).isEqualTo("vigil-waf-2026.11.27");
    assertThat(action.get("_id").asText()).isEqualTo("id\"with\\quote-é-😀");
    assertThat(lines[1]).isEqualTo("{\"a\":1}");
    assertThat(bulk.documents()).isEqualTo(3);
  }

  @Test
  void aLatestStateCopyIsWrittenWithTheUpdatesExternalVersion() throws Exception {
    BulkBody bulk = new BulkBody(256);
    byte[] source = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    ParsedDocument document =
        new ParsedDocument(
                LogType.SECURITYHUB, "vigil-securityhub-2026.11.27", "u", Instant.EPOCH, source)
            .withLatest(
                new ParsedDocument.Latest("vigil-latest-securityhub", "f\"1", 1_795_780_800_123L));
    bulk.add(document);
    bulk.addLatest(document);

    String[] lines = new String(bulk.toByteArray(), StandardCharsets.UTF_8).split("\n", -1);
    assertThat(lines).hasSize(5);
    var action = new ObjectMapper().readTree(lines[2]).get("index");
    assertThat(action.get("_index").asText()).isEqualTo("vigil-latest-securityhub");
    assertThat(action.get("_id").asText()).isEqualTo("f\"1");
    assertThat(action.get("version").asLong()).isEqualTo(1_795_780_800_123L);
    assertThat(action.get("version_type").asText()).isEqualTo("external_gte");
    assertThat(lines[3]).isEqualTo(lines[1]);
  }
}
