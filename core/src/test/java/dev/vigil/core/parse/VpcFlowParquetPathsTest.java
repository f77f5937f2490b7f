package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.LogType;
import dev.vigil.testing.VpcFlowParquetDelivery;
import dev.vigil.testing.VpcFlowParquetDelivery.Layout;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * VPC Flow Logs in the S3 destination's Parquet option, as parquet-java writes AWS's documented
 * schema ({@link VpcFlowParquetDelivery} names the pages), under each documented key layout: read
 * into exactly the documents the same records give in the plain-text format.
 */
class VpcFlowParquetPathsTest {
  private static final Instant DELIVERED = Instant.parse("2026-11-27T12:05:00Z");
  private static final List<String> DEFAULT_COLUMNS =
      List.of(
          "version",
          "account_id",
          "interface_id",
          "srcaddr",
          "dstaddr",
          "srcport",
          "dstport",
          "protocol",
          "packets",
          "bytes",
          "start",
          "end",
          "action",
          "log_status");

  static List<Map<String, Object>> defaultRows(int count) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Map<String, Object> row = new HashMap<>();
      row.put("version", 2);
      row.put("account_id", "123456789012");
      row.put("interface_id", "eni-0a1b2c3d4e5f6a7b" + (i % 3));
      if (i % 7 == 6) {
        // A NODATA record: no addresses, ports, protocol or counts
        row.put("start", 1795780800L + i);
        row.put("end", 1795780860L + i);
        row.put("log_status", "NODATA");
      } else {
        row.put("srcaddr", "10.0." + (i % 250) + ".7");
        row.put("dstaddr", "203.0.113." + (i % 200));
        row.put("srcport", 40_000 + i);
        row.put("dstport", i % 2 == 0 ? 443 : 22);
        row.put("protocol", 6);
        row.put("packets", 10L + i);
        row.put("bytes", 5_000_000_000L + i);
        row.put("start", 1795780800L + i);
        row.put("end", 1795780860L + i);
        row.put("action", i % 5 == 0 ? "REJECT" : "ACCEPT");
        row.put("log_status", "OK");
      }
      rows.add(row);
    }
    return rows;
  }

  /** The same records in the documented plain-text format: a header, then '-' for no value. */
  static byte[] text(List<String> columns, List<Map<String, Object>> rows) {
    StringBuilder out = new StringBuilder();
    out.append(String.join(" ", columns.stream().map(c -> c.replace('_', '-')).toList()));
    out.append('\n');
    for (Map<String, Object> row : rows) {
      List<String> values = new ArrayList<>();
      for (String column : columns) {
        Object value = row.get(column);
        values.add(value == null ? "-" : value.toString());
      }
      out.append(String.join(" ", values)).append('\n');
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parquetUnderEachDocumentedKeyLayoutGivesTheDocumentsOfTheTextFormat() {
    List<Map<String, Object>> rows = defaultRows(40);
    byte[] parquet =
        VpcFlowParquetDelivery.file(DEFAULT_COLUMNS, rows, Layout.V1_DICTIONARY, 1 << 20);
    List<JsonNode> expected = withoutOrigin(parse(text(DEFAULT_COLUMNS, rows), textKey(), null));
    assertThat(expected).hasSize(40);

    for (boolean hive : new boolean[] {false, true}) {
      for (boolean hourly : new boolean[] {false, true}) {
        String key =
            VpcFlowParquetDelivery.key(
                "123456789012",
                "us-east-1",
                "fl-0123456789abcdef0",
                DELIVERED,
                "fe123456",
                hive,
                hourly);
        CollectingSink sink = parse(parquet, key, null);
        assertThat(sink.rejections).as(key).isEmpty();
        assertThat(withoutOrigin(sink)).as(key).isEqualTo(expected);
        assertThat(sink.documents.get(0).index()).as(key).isEqualTo("vigil-vpcflow-2026.11.27");
      }
    }
  }

  @Test
  void valuesKeepTheirDocumentedTypesAndNullsAreLeftOut() {
    List<Map<String, Object>> rows = defaultRows(7);
    byte[] parquet =
        VpcFlowParquetDelivery.file(DEFAULT_COLUMNS, rows, Layout.V1_DICTIONARY, 1 << 20);
    String key = key(false, false);

    List<JsonNode> docs = parse(parquet, key, null).sources();

    JsonNode first = docs.get(0);
    assertThat(first.path("bytes").isIntegralNumber()).isTrue();
    assertThat(first.path("bytes").asLong()).isEqualTo(5_000_000_000L);
    assertThat(first.path("dstport").asInt()).isEqualTo(443);
    assertThat(first.path("account_id").asText()).isEqualTo("123456789012");
    assertThat(first.path("@timestamp").asText()).isEqualTo("2026-11-27T12:00:00Z");
    assertThat(first.path("event").path("action").asText()).isEqualTo("denied");
    JsonNode nodata = docs.get(6);
    assertThat(nodata.path("log_status").asText()).isEqualTo("NODATA");
    assertThat(nodata.has("srcaddr")).isFalse();
    assertThat(nodata.has("packets")).isFalse();
  }

  // Several row groups of several pages each, in both layouts (v2: delta encodings, no
  // dictionaries), with the version 3 to 5 fields: the reader's other paths.
  @Test
  void pagesV2DeltaEncodingsAndSeveralRowGroupsAreReadInOrder() {
    List<String> columns = new ArrayList<>(VpcFlowParquetDelivery.FIELDS.keySet());
    List<Map<String, Object>> rows = defaultRows(3000);
    for (int i = 0; i < rows.size(); i++) {
      Map<String, Object> row = rows.get(i);
      row.put("version", 5);
      row.put("vpc_id", "vpc-0a1b2c3d");
      row.put("subnet_id", "subnet-0a1b2c3d" + (i % 4));
      row.put("instance_id", i % 3 == 0 ? null : "i-0123456789abcdef" + (i % 10));
      row.put("tcp_flags", i % 2 == 0 ? 2 : 18);
      row.put("type", "IPv4");
      row.put("region", "us-east-1");
      row.put("az_id", "use1-az1");
      row.put("flow_direction", i % 2 == 0 ? "ingress" : "egress");
      row.put("traffic_path", i % 2 == 0 ? null : 8);
    }
    List<JsonNode> expected = withoutOrigin(parse(text(columns, rows), textKey(), null));

    for (Layout layout : Layout.values()) {
      byte[] parquet = VpcFlowParquetDelivery.file(columns, rows, layout, 16 * 1024);

      CollectingSink sink = parse(parquet, key(true, true), null);

      assertThat(sink.rejections).as(layout.name()).isEmpty();
      assertThat(withoutOrigin(sink)).as(layout.name()).isEqualTo(expected);
      assertThat(sink.documents).hasSize(3000);
    }
  }

  // Without a key that names the type, the columns tell a flow log.
  @Test
  void parquetUnderAnUnknownKeyIsReadAsAFlowLogByItsColumns() {
    byte[] parquet =
        VpcFlowParquetDelivery.file(DEFAULT_COLUMNS, defaultRows(3), Layout.V1_DICTIONARY, 1 << 20);

    CollectingSink sink = parse(parquet, "exports/flow.parquet", null);

    assertThat(sink.documents).hasSize(3);
    assertThat(sink.documents.get(0).type()).isEqualTo(LogType.VPCFLOW);
  }

  @Test
  void damagedOrForeignParquetIsRefusedNamingWhy() {
    byte[] parquet =
        VpcFlowParquetDelivery.file(DEFAULT_COLUMNS, defaultRows(3), Layout.V1_DICTIONARY, 1 << 20);
    byte[] cut = java.util.Arrays.copyOf(parquet, parquet.length - 20);

    assertThatThrownBy(() -> parse(cut, key(false, false), null))
        .hasCauseInstanceOf(UnreadableInputException.class)
        .hasMessageContaining("unreadable Parquet: not a whole Parquet file");
    assertThatThrownBy(() -> parse(parquet, "AWSLogs/123456789012/CloudTrail/x.parquet", null))
        .hasMessageContaining("Vigil reads Parquet as VPC flow logs only, not cloudtrail");
  }

  private static String key(boolean hive, boolean hourly) {
    return VpcFlowParquetDelivery.key(
        "123456789012", "us-east-1", "fl-0123456789abcdef0", DELIVERED, "fe123456", hive, hourly);
  }

  private static String textKey() {
    return "AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/27/"
        + "123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261127T1205Z_fe123456.log.gz";
  }

  private static CollectingSink parse(byte[] raw, String key, LogType type) {
    return CollectingSink.parse(raw, new ObjectRef("flow-bucket", key), type);
  }

  /** Sources without the object's bucket and key, which differ between the two objects. */
  private static List<JsonNode> withoutOrigin(CollectingSink sink) {
    return sink.sources().stream()
        .map(
            doc -> {
              ((ObjectNode) doc.path("vigil")).remove("s3");
              return doc;
            })
        .toList();
  }
}
