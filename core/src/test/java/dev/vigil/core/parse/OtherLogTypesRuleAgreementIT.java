package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.LogType;
import dev.vigil.core.TestData;
import dev.vigil.core.rules.CompiledRule;
import dev.vigil.core.rules.FieldTypes;
import dev.vigil.core.rules.RuleCompiler;
import dev.vigil.core.rules.RuleManifest;
import dev.vigil.core.rules.RuleSource;
import dev.vigil.core.rules.RuleTester;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.testing.RealPartsExtension;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The in-memory evaluator and a real OpenSearch 2.19 agree beyond CloudTrail: every VPC Flow Logs
 * and WAF sample in ../shared/testdata, plus the test events of the samples/ rules of those types,
 * indexed with Vigil's templates; probe queries for each semantic edge of their mappings (ip fields
 * and CIDR, numbers and ranges, arrays, flat_object roots and sub-paths, keyword case,
 * ignore_above) and the samples/ rules run both ways and return the same document ids.
 */
@ExtendWith(RealPartsExtension.class)
class OtherLogTypesRuleAgreementIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<LogType, Map<String, JsonNode>> DOCS = new EnumMap<>(LogType.class);
  private static final Map<LogType, Map<String, String>> EXPECTED = new EnumMap<>(LogType.class);

  /** Every log type but CloudTrail (RuleAgreementIT's) has shipped rules with test events. */
  private static final List<LogType> TYPES =
      Arrays.stream(LogType.values()).filter(t -> t != LogType.CLOUDTRAIL).toList();

  private static String index(LogType type) {
    return "vigil-" + type.id() + "-agreement";
  }

  @BeforeAll
  static void indexSamples(OpenSearchNode node) throws Exception {
    RuleAgreementIT.installTemplates(node, TYPES);
    for (LogType type : TYPES) {
      Map<String, JsonNode> docs = new LinkedHashMap<>();
      Map<String, String> expected = new LinkedHashMap<>();
      BulkBody bulk = new BulkBody(1 << 20);
      for (Samples.Sample sample : Samples.BY_TYPE.getOrDefault(type, List.of())) {
        CollectingSink sink = new CollectingSink();
        try (InputStream in = Files.newInputStream(TestData.path(sample.path()))) {
          ObjectParser.standard().parse(in, sample.origin(), type, sink);
        }
        for (ParsedDocument d : sink.documents) {
          docs.put(d.id(), CollectingSink.tree(d));
          bulk.add(new ParsedDocument(type, index(type), d.id(), d.timestamp(), d.source()));
        }
      }
      // The single-event tests of the samples/ rules of this type give them positives.
      int n = 0;
      for (RuleManifest m : RuleAgreementIT.sampleManifests(type)) {
        // A first-seen rule's verdict also weighs its history: FirstSeenAgreementIT checks those.
        boolean firstSeen = m.compile(RuleCompiler.defaults()).firstSeen() != null;
        for (RuleManifest.Case c : m.tests()) {
          if (c.isSequence()) {
            continue;
          }
          for (JsonNode doc : RuleTester.standard().normalize(c.event(), type, m.file())) {
            String id = "test-" + n++;
            docs.put(id, doc);
            if (!firstSeen) {
              expected.put(id, m.name() + "|" + c.expectMatch());
            }
            bulk.add(
                new ParsedDocument(
                    type,
                    index(type),
                    id,
                    Instant.parse(doc.path("@timestamp").asText()),
                    JSON.writeValueAsBytes(doc)));
          }
        }
      }
      JsonNode response =
          RuleAgreementIT.send(
              node,
              node.request("/_bulk?refresh=true")
                  .header("Content-Type", "application/x-ndjson")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(bulk.toByteArray())));
      assertThat(response.path("errors").asBoolean()).as("bulk errors: %s", response).isFalse();
      assertThat(expected).as(type.id() + ": test events of samples/ rules").isNotEmpty();
      DOCS.put(type, docs);
      EXPECTED.put(type, expected);
    }
  }

  @Test
  void vpcFlowProbesAndSampleRulesAgree(OpenSearchNode node) throws Exception {
    agreeOn(
        node,
        LogType.VPCFLOW,
        List.of(
            "{\"term\":{\"action\":\"REJECT\"}}",
            "{\"term\":{\"action\":\"reject\"}}",
            "{\"term\":{\"event.action\":\"denied\"}}",
            "{\"terms\":{\"event.type\":[\"denied\"]}}",
            "{\"term\":{\"destination.port\":3389}}",
            "{\"term\":{\"dstport\":\"22\"}}",
            "{\"range\":{\"bytes\":{\"gt\":4000}}}",
            "{\"range\":{\"destination.port\":{\"gte\":0,\"lte\":1023}}}",
            "{\"term\":{\"source.ip\":\"172.31.0.0/16\"}}",
            "{\"term\":{\"srcaddr\":\"172.31.16.139\"}}",
            "{\"term\":{\"related.ip\":\"10.0.0.0/8\"}}",
            "{\"exists\":{\"field\":\"srcaddr\"}}",
            "{\"bool\":{\"must_not\":[{\"exists\":{\"field\":\"source.ip\"}}]}}",
            "{\"term\":{\"log_status\":\"NODATA\"}}",
            "{\"term\":{\"network.transport\":\"tcp\"}}",
            "{\"term\":{\"flow_direction\":\"egress\"}}",
            "{\"prefix\":{\"interface_id\":\"eni-\"}}",
            "{\"wildcard\":{\"interface_id\":{\"value\":\"*b8ca*\"}}}",
            "{\"range\":{\"@timestamp\":{\"gte\":\"2020-01-01T00:00:00Z\"}}}",
            "{\"query_string\":{\"query\":\"action:REJECT AND destination.port:(22 OR 3389)\"}}",
            "{\"query_string\":{\"query\":\"bytes:>1000 AND NOT network.transport:udp\"}}",
            "{\"query_string\":{\"query\":\"destination.port:[0 TO 1023]\"}}",
            "{\"query_string\":{\"query\":\"_exists_:pkt_srcaddr\"}}",
            "{\"query_string\":{\"query\":\"source.ip:\\\"172.31.0.0/16\\\"\"}}"));
  }

  @Test
  void wafProbesAndSampleRulesAgree(OpenSearchNode node) throws Exception {
    agreeOn(
        node,
        LogType.WAF,
        List.of(
            "{\"term\":{\"action\":\"ALLOW\"}}",
            "{\"term\":{\"aws.waf.action\":\"BLOCK\"}}",
            "{\"term\":{\"httpRequest.country\":\"CN\"}}",
            "{\"term\":{\"source.geo.country_iso_code\":\"HK\"}}",
            "{\"term\":{\"httpRequest.clientIp\":\"13.248.0.0/16\"}}",
            "{\"term\":{\"source.ip\":\"198.51.100.7\"}}",
            "{\"term\":{\"httpRequest.headers.name\":\"host\"}}",
            "{\"term\":{\"httpRequest.headers.name\":\"Host\"}}",
            "{\"wildcard\":{\"httpRequest.headers.value\":{\"value\":\"*Chrome*\"}}}",
            "{\"wildcard\":{\"user_agent.original\":{\"value\":\"*Macintosh*\"}}}",
            "{\"term\":{\"ruleGroupList.ruleGroupId\":\"AWS#AWSManagedRulesBotControlRuleSet\"}}",
            "{\"wildcard\":{\"ruleGroupList\":{\"value\":\"*Anonymous*\"}}}",
            "{\"prefix\":{\"terminatingRuleMatchDetails.conditionType\":\"\"}}",
            "{\"term\":{\"terminatingRuleMatchDetails.matchedData\":\"OR\"}}",
            "{\"range\":{\"timestamp\":{\"gte\":1679548657700}}}",
            "{\"term\":{\"httpRequest.httpMethod\":\"POST\"}}",
            "{\"prefix\":{\"httpRequest.uri\":\"/graphql\"}}",
            "{\"term\":{\"cloud.region\":\"eu-west-1\"}}",
            "{\"term\":{\"aws.waf.webacl_scope\":\"global\"}}",
            "{\"query_string\":{\"query\":\"aws.waf.action:BLOCK AND"
                + " terminatingRuleMatchDetails.conditionType:(SQL_INJECTION OR XSS)\"}}",
            "{\"query_string\":{\"query\":\"httpRequest.country:(CN OR HK) AND NOT action:BLOCK\"}}",
            "{\"query_string\":{\"query\":\"user_agent.original:*sqlmap*\"}}"));
  }

  @ParameterizedTest
  @EnumSource(
      value = LogType.class,
      names = {"GUARDDUTY", "SECURITYHUB", "ROUTE53RESOLVER", "ALB", "S3ACCESS", "CLOUDWATCH"})
  void theSampleRulesOfTheOtherLogTypesAgree(LogType type, OpenSearchNode node) throws Exception {
    agreeOn(node, type, List.of());
  }

  private void agreeOn(OpenSearchNode node, LogType type, List<String> probes) throws Exception {
    Map<String, CompiledRule> rules = new LinkedHashMap<>();
    for (String probe : probes) {
      rules.put(
          probe,
          RuleCompiler.defaults().compile(RuleSource.dsl(probe, type.id(), JSON.readTree(probe))));
    }
    List<RuleManifest> manifests = RuleAgreementIT.sampleManifests(type);
    assertThat(manifests).as("samples/ rules of type " + type.id()).isNotEmpty();
    for (RuleManifest m : manifests) {
      rules.put(m.name(), m.compile(RuleCompiler.defaults()));
    }
    Map<String, TreeSet<String>> hits =
        RuleAgreementIT.agree(node, index(type), FieldTypes.of(type), DOCS.get(type), rules);
    Map<String, Integer> counts = new LinkedHashMap<>();
    hits.forEach((rule, ids) -> counts.put(rule, ids.size()));
    System.out.println(type.id() + " rules agreeing with OpenSearch: " + counts);
    assertThat(counts.values().stream().filter(c -> c > 0).count())
        .as("most probes match something, so agreement is not vacuous")
        .isGreaterThan(Math.max(1, probes.size()) / 2);
    // OpenSearch itself confirms each embedded test verdict.
    assertThat(RuleAgreementIT.wrongVerdicts(EXPECTED.get(type), hits)).isEmpty();
  }
}
