package dev.vigil.core.parse.types;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.LogType;
import dev.vigil.core.TestData;
import dev.vigil.core.parse.CollectingSink;
import dev.vigil.core.parse.IndexNaming;
import dev.vigil.core.parse.IndexTemplates;
import dev.vigil.core.parse.ObjectRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every field the line-oriented parsers write for the shared samples is declared in the ECS
 * component or the type's own mapping, with a type that fits the value (numbers are numbers or
 * dates); nothing is left to dynamic mapping.
 */
class TextMappingsTest {
  private static final IndexTemplates TEMPLATES = new IndexTemplates(IndexNaming.defaults());
  private static final Set<String> NUMERIC =
      Set.of("integer", "long", "short", "double", "float", "scaled_float", "date");

  private static final Map<LogType, List<String>> SAMPLES =
      Map.of(
          LogType.VPCFLOW,
          List.of(
              "centralized-logging-with-opensearch/vpcflow/vpcflow.log",
              "awsdocs-vpc-user-guide/vpcflow/v2-default.log",
              "awsdocs-vpc-user-guide/vpcflow/v3-tcp-flag-sequence.log",
              "awsdocs-vpc-user-guide/vpcflow/v3-transit-gateway.log",
              "awsdocs-vpc-user-guide/vpcflow/v5-traffic-path-flow-direction.log"),
          LogType.ALB,
          List.of(
              "opensearch-catalog/alb/raw.log",
              "centralized-logging-with-opensearch/alb/elb.log.gz",
              "centralized-logging-with-opensearch/alb/microbatch-alb.log.gz"),
          LogType.S3ACCESS,
          List.of(
              "centralized-logging-with-opensearch/s3-access/s3.log",
              "opensearch-catalog/s3-access/raw.log"),
          LogType.ROUTE53RESOLVER,
          List.of("opensearch-security-analytics/route53-resolver/dns-sample.json"));

  @Test
  void everyFieldOfEverySampleDocumentIsMappedWithAFittingType() {
    for (Map.Entry<LogType, List<String>> type : SAMPLES.entrySet()) {
      ObjectNode ecs =
          (ObjectNode) TEMPLATES.componentTemplate().at("/template/mappings/properties");
      JsonNode own = TEMPLATES.indexTemplate(type.getKey()).at("/template/mappings/properties");
      assertThat(own.size()).as("%s has its own mappings", type.getKey()).isPositive();
      int fields = 0;
      for (String file : type.getValue()) {
        CollectingSink sink =
            CollectingSink.parse(
                TestData.bytes(file),
                new ObjectRef(
                    "b", "AWSLogs/123456789012/x/us-east-1/2022/05/04/a_20220504T0640Z_b.log"),
                type.getKey());
        assertThat(sink.rejections).as(file).isEmpty();
        for (JsonNode doc : sink.sources()) {
          List<String[]> leaves = new ArrayList<>();
          leaves(doc, "", leaves);
          for (String[] leaf : leaves) {
            JsonNode mapping = find(own, leaf[0]);
            if (mapping == null) {
              mapping = find(ecs, leaf[0]);
            }
            assertThat(mapping).as("%s: %s is mapped", file, leaf[0]).isNotNull();
            String mapped = mapping.path("type").asText("object");
            if (leaf[1].equals("number")) {
              assertThat(mapped).as("%s: %s holds a number", file, leaf[0]).isIn(NUMERIC);
            }
            fields++;
          }
        }
      }
      assertThat(fields).isPositive();
    }
  }

  @Test
  void vpcFieldNamesAreThoseSecurityAnalyticsVpcflowMappingUses() throws Exception {
    JsonNode mapping =
        new ObjectMapper()
            .readTree(
                TestData.bytes(
                    "opensearch-security-analytics/field-mappings/vpcflow_logtype.json"));
    int checked = 0;
    for (JsonNode field : mapping.get("mappings")) {
      String raw = field.get("raw_field").asText();
      String aws = raw.replace('_', '-');
      if (VpcFlowParser.KNOWN_FIELDS.contains(aws)) {
        assertThat(VpcFlowParser.Format.documentName(aws)).isEqualTo(raw);
        checked++;
      }
    }
    assertThat(checked).isEqualTo(24); // all but protocol_ver, which no flow log has
  }

  private static void leaves(JsonNode node, String path, List<String[]> out) {
    if (node.isObject()) {
      node.properties()
          .forEach(
              e ->
                  leaves(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out));
    } else if (node.isArray()) {
      node.forEach(item -> leaves(item, path, out));
    } else {
      out.add(new String[] {path, node.isNumber() ? "number" : "text"});
    }
  }

  private static JsonNode find(JsonNode properties, String path) {
    JsonNode current = null;
    JsonNode level = properties;
    for (String part : path.split("\\.")) {
      if (level == null || !level.has(part)) {
        return null;
      }
      current = level.get(part);
      level = current.get("properties");
    }
    return current;
  }
}
