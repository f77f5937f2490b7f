package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.LogType;
import dev.vigil.core.rules.CompiledRule;
import dev.vigil.core.rules.FieldTypes;
import dev.vigil.core.rules.RuleCompiler;
import dev.vigil.core.rules.RuleSource;
import dev.vigil.core.rules.RuleTester;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.testing.RealPartsExtension;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every modifier and condition form of the Sigma specification, converted by Vigil and run on a
 * real OpenSearch 2.19 and in the in-memory evaluator over the same hand-made documents: both must
 * return exactly the documents the case names. The documents are labelled a–f (CloudTrail) and
 * p1–p3 (VPC Flow Logs), r1–r2 (Route 53 Resolver); each case says which labels Sigma's semantics
 * select.
 */
@ExtendWith(RealPartsExtension.class)
class SigmaSpecificationIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<LogType, Map<String, JsonNode>> DOCS = new LinkedHashMap<>();
  private static final Map<String, String> LABELS = new LinkedHashMap<>(); // id -> label

  private static final String CLOUDTRAIL = "  product: aws\n  service: cloudtrail\n";
  private static final String FLOW = "  category: network_connection\n";

  @BeforeAll
  static void indexDocuments(OpenSearchNode node) throws Exception {
    // CloudTrail records as the CloudTrail User Guide documents them ("CloudTrail record
    // contents"); user agents carry Windows-style flags for windash.
    cloudTrail("a", "ListBuckets", "aws-cli/2.0 tool -param-name x", "10.1.2.3", null, "alice");
    cloudTrail("b", "GetObject", "aws-cli/2.0 tool /param-name x", "192.168.0.5", "AccessDenied");
    cloudTrail("c", "PutObject", "boto3 tool \u2013param-name x", "10.200.0.1", null);
    cloudTrail("d", "DeleteObject", "boto3 tool -param/name x", "172.16.0.1", "NoSuchKey");
    cloudTrail(
        "e",
        "GetObject",
        "curl payload aHR0cDovL2V2aWwuY29t aAB0AHQAcAA6AC8ALwBlAHYAaQBsAC4AYwBvAG0A",
        "8.8.8.8",
        null);
    cloudTrail("f", "ListBuckets", "say \"hi\" 123 <x>", "10.9.9.9", null);
    // Two lines (for the regex flags m and s) and a base64 of UTF-16 with its byte order mark
    // ("evil"), as PowerShell writes it.
    cloudTrail(
        "g", "RunInstances", "first line\nsecond line //5lAHYAaQBsAA==", "203.0.113.7", null);
    // VPC Flow Logs version 2 records (Amazon VPC User Guide, "Flow log records").
    flow("p1", 22, 40, "REJECT");
    flow("p2", 443, 5000, "ACCEPT");
    flow("p3", 3389, 100, "REJECT");
    // Route 53 Resolver query log records (Route 53 Developer Guide, "Values that appear in
    // Resolver query logs"): names are fully qualified, with the root's dot.
    dns("r1", "www.evil.com.");
    dns("r2", "evil.com.example.org.");
    IndexTemplates templates = new IndexTemplates(IndexNaming.defaults());
    RuleAgreementIT.put(
        node, "/_component_template/" + templates.componentName(), templates.componentTemplate());
    for (Map.Entry<LogType, Map<String, JsonNode>> t : DOCS.entrySet()) {
      RuleAgreementIT.put(
          node,
          "/_index_template/" + templates.templateName(t.getKey()),
          templates.indexTemplate(t.getKey()));
      BulkBody bulk = new BulkBody(1 << 20);
      for (Map.Entry<String, JsonNode> d : t.getValue().entrySet()) {
        bulk.add(
            new ParsedDocument(
                t.getKey(),
                index(t.getKey()),
                d.getKey(),
                Instant.parse(d.getValue().path("@timestamp").asText()),
                JSON.writeValueAsBytes(d.getValue())));
      }
      JsonNode response =
          RuleAgreementIT.send(
              node,
              node.request("/_bulk?refresh=true")
                  .header("Content-Type", "application/x-ndjson")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(bulk.toByteArray())));
      assertThat(response.path("errors").asBoolean()).as("bulk errors %s", response).isFalse();
    }
  }

  @Test
  void everyModifierAndConditionFormSelectsWhatTheSpecificationSays(OpenSearchNode node)
      throws Exception {
    List<Case> cases = new ArrayList<>();
    // Selections: maps are AND, lists of values and lists of maps are OR.
    cases.add(ct("plain value", "s:\n    eventName: GetObject", "s", "b e"));
    cases.add(ct("value list", "s:\n    eventName: [ListBuckets, PutObject]", "s", "a c f"));
    cases.add(
        ct("map is AND", "s:\n    eventName: GetObject\n    errorCode: AccessDenied", "s", "b"));
    cases.add(
        ct(
            "list of maps",
            "s:\n    - eventName: PutObject\n    - errorCode: NoSuchKey",
            "s",
            "c d"));
    // Wildcards and escapes.
    cases.add(ct("wildcards * ?", "s:\n    userAgent: 'aws-cli/?.0 *'", "s", "a b"));
    cases.add(ct("escaped star", "s:\n    requestParameters.bucketName: 'Audit\\*Star'", "s", "f"));
    cases.add(ct("star alone", "s:\n    requestParameters.bucketName: '*'", "s", "a b c e f g"));
    // String modifiers.
    cases.add(ct("contains", "s:\n    userAgent|contains: tool", "s", "a b c d"));
    cases.add(ct("startswith", "s:\n    userAgent|startswith: boto3", "s", "c d"));
    cases.add(ct("endswith", "s:\n    userAgent|endswith: '-param-name x'", "s", "a"));
    cases.add(ct("contains all", "s:\n    userAgent|contains|all: [aws-cli, /param]", "s", "b"));
    cases.add(ct("cased", "s:\n    eventName|cased: [getobject, PutObject]", "s", "c"));
    cases.add(
        ct(
            "windash written with -",
            "s:\n    userAgent|windash|contains: ' -param-name '",
            "s",
            "a b c"));
    cases.add(
        ct(
            "windash written with /",
            "s:\n    userAgent|windash|contains: ' /param-name '",
            "s",
            "a b c"));
    cases.add(ct("base64", "s:\n    userAgent|base64|contains: 'http://evil.com'", "s", "e"));
    cases.add(ct("base64offset", "s:\n    userAgent|base64offset|contains: 'evil.com'", "s", "e"));
    cases.add(
        ct(
            "wide base64offset",
            "s:\n    userAgent|wide|base64offset|contains: 'evil.com'",
            "s",
            "e"));
    cases.add(ct("re ignorecase", "s:\n    userAgent|re|ignorecase: '^BOTO3'", "s", "c d"));
    // Regular expressions.
    cases.add(ct("re", "s:\n    userAgent|re: 'tool [-/]param'", "s", "a b d"));
    cases.add(ct("re i", "s:\n    userAgent|re|i: '^BOTO3'", "s", "c d"));
    cases.add(ct("re quote and \\d", "s:\n    userAgent|re: '\"hi\" \\d+ <x>$'", "s", "f"));
    cases.add(ct("re \\s \\W \\w", "s:\n    userAgent|re: 'tool\\s\\W\\w+-name'", "s", "a b c"));
    // Types, presence, field comparison.
    cases.add(
        ct("cidr", "s:\n    sourceIPAddress|cidr: [10.0.0.0/8, 192.168.0.0/16]", "s", "a b c f"));
    cases.add(ct("exists true", "s:\n    errorCode|exists: true", "s", "b d"));
    cases.add(ct("exists false", "s:\n    errorCode|exists: false", "s", "a c e f g"));
    cases.add(
        ct(
            "exists flat_object",
            "s:\n    requestParameters.bucketName|exists: true",
            "s",
            "a b c e f g"));
    cases.add(ct("null", "s:\n    errorCode: null", "s", "a c e f g"));
    cases.add(ct("neq", "s:\n    eventName|neq: [GetObject, ListBuckets]", "s", "c d g"));
    cases.add(
        ct(
            "fieldref neq",
            "s:\n    userIdentity.userName|fieldref|neq: requestParameters.userName",
            "s",
            "b c d e f g"));
    cases.add(
        sigma(
            "expand",
            LogType.CLOUDTRAIL,
            CLOUDTRAIL + "vigil-placeholders:\n  writes: [PutObject, DeleteObject]\n",
            "s:\n    eventName|expand: '%writes%'",
            "s",
            "c d"));
    cases.add(ct("utf16 base64", "s:\n    userAgent|utf16|base64|contains: evil", "s", "g"));
    // Regular expression flags: '.' stops at a line break unless s; '^' and '$' meet line
    // breaks only with m.
    cases.add(ct("re . without s", "s:\n    userAgent|re: 'line.second'", "s", ""));
    cases.add(ct("re s", "s:\n    userAgent|re|s: 'line.second'", "s", "g"));
    cases.add(ct("re ^ without m", "s:\n    userAgent|re: '^second'", "s", ""));
    cases.add(ct("re m ^", "s:\n    userAgent|re|m: '^second'", "s", "g"));
    cases.add(ct("re multiline $", "s:\n    userAgent|re|multiline: 'first line$'", "s", "g"));
    cases.add(ct("re i m s", "s:\n    userAgent|re|i|m|s: '^FIRST.LINE.SECOND'", "s", "g"));
    // Keywords: inside any keyword or flat_object value (case-sensitive), as a phrase in text.
    cases.add(ct("keyword in keyword field", "keywords:\n    - 'param/name'", "keywords", "d"));
    cases.add(ct("keyword in flat_object", "keywords:\n    - bucket-c", "keywords", "c"));
    cases.add(ct("keyword in text", "keywords:\n    - 'DENIED for'", "keywords", "b"));
    cases.add(ct("keyword wildcard", "keywords:\n    - 'aws-cli*tool'", "keywords", "a b"));
    cases.add(ct("keyword list", "keywords:\n    - NoSuchKey\n    - 8.8.8.8", "keywords", "d e"));
    cases.add(ct("keyword case", "keywords:\n    - nosuchkey", "keywords", ""));
    cases.add(
        ct("keywords all", "keywords:\n    '|all': [aws-cli, AccessDenied]", "keywords", "b"));
    cases.add(
        ct(
            "keywords and fields",
            "keywords: alice\n  filter:\n    eventName: ListBuckets",
            "keywords and not filter",
            "b c e g"));
    // Fields OpenSearch maps dynamically (absent from Vigil's mapping) are not searched.
    cases.add(ct("keyword in a dynamic field", "keywords: dyn-only-value", "keywords", ""));
    cases.add(ct("text phrase", "s:\n    errorMessage|contains: 'access denied'", "s", "b"));
    cases.add(
        ct(
            "fieldref",
            "s:\n    userIdentity.userName|fieldref: requestParameters.userName",
            "s",
            "a"));
    // Conditions.
    String three =
        "sel_get:\n    eventName: GetObject\n  sel_list:\n    eventName: ListBuckets\n"
            + "  filter:\n    errorCode|exists: true";
    cases.add(ct("and not", three, "sel_get and not filter", "e"));
    cases.add(ct("or", three, "sel_get or filter", "b d e"));
    cases.add(ct("parentheses", three, "(sel_get or sel_list) and not filter", "a e f"));
    cases.add(ct("1 of pattern", three, "1 of sel_*", "a b e f"));
    cases.add(ct("all of pattern", three, "all of sel_* or filter", "b d"));
    cases.add(ct("2 of them", three, "2 of them", "b"));
    cases.add(ct("1 of them", three, "1 of them", "a b d e f"));
    cases.add(ct("all of them", three, "all of them", ""));
    cases.add(ct("not not", three, "not not filter", "b d"));
    cases.add(ct("condition list", three, "\n    - sel_list\n    - filter", "a b d f"));
    // Numbers, on VPC Flow Logs (network_connection).
    cases.add(flowCase("gt", "s:\n    destination.port|gt: 443", "p3"));
    cases.add(flowCase("gte", "s:\n    destination.port|gte: 443", "p2 p3"));
    cases.add(flowCase("lt", "s:\n    destination.port|lt: 443", "p1"));
    cases.add(flowCase("lte", "s:\n    network.bytes|lte: 100", "p1 p3"));
    cases.add(flowCase("number list", "s:\n    destination.port: [22, 3389]", "p1 p3"));
    // Sigma's taxonomy names (network_connection) resolve to Vigil's ECS fields.
    cases.add(flowCase("taxonomy name", "s:\n    DestinationPort|gte: 443", "p2 p3"));

    // DNS (category dns): Sigma writes names without the root's dot, Route 53 with it.
    cases.add(dnsCase("dns endswith", "s:\n    query|endswith: '.evil.com'", "r1"));
    cases.add(dnsCase("dns exact", "s:\n    query: www.evil.com", "r1"));
    cases.add(dnsCase("dns contains", "s:\n    query|contains: evil.com", "r1 r2"));

    List<String> wrong = new ArrayList<>();
    for (LogType type : DOCS.keySet()) {
      Map<String, CompiledRule> rules = new LinkedHashMap<>();
      Map<String, Case> byName = new LinkedHashMap<>();
      for (Case c : cases) {
        if (c.type() == type) {
          rules.put(
              c.name(), RuleCompiler.defaults().compile(RuleSource.sigma(c.name(), c.yaml())));
          byName.put(c.name(), c);
        }
      }
      // OpenSearch and the evaluator agree (agree() fails on any difference) ...
      Map<String, TreeSet<String>> hits =
          RuleAgreementIT.agree(node, index(type), FieldTypes.of(type), DOCS.get(type), rules);
      // ... and on what the specification says.
      hits.forEach(
          (name, ids) -> {
            TreeSet<String> labels = new TreeSet<>();
            ids.forEach(id -> labels.add(LABELS.get(id)));
            if (!labels.equals(byName.get(name).expected())) {
              wrong.add(name + ": " + labels + ", expected " + byName.get(name).expected());
            }
          });
    }
    assertThat(cases).hasSizeGreaterThanOrEqualTo(67);
    assertThat(wrong).as("cases where OpenSearch selects other documents").isEmpty();
  }

  record Case(String name, LogType type, String yaml, TreeSet<String> expected) {}

  private static Case ct(String name, String selections, String condition, String expected) {
    return sigma(name, LogType.CLOUDTRAIL, CLOUDTRAIL, selections, condition, expected);
  }

  private static Case dnsCase(String name, String selections, String expected) {
    return sigma(name, LogType.ROUTE53RESOLVER, "  category: dns\n", selections, "s", expected);
  }

  private static Case flowCase(String name, String selections, String expected) {
    return sigma(name, LogType.VPCFLOW, FLOW, selections, "s", expected);
  }

  private static Case sigma(
      String name,
      LogType type,
      String logsource,
      String selections,
      String condition,
      String expected) {
    String yaml =
        "title: '"
            + name
            + "'\nlogsource:\n"
            + logsource
            + "detection:\n  "
            + selections
            + "\n  condition: "
            + (condition.startsWith("\n") ? condition : "'" + condition + "'")
            + "\n";
    TreeSet<String> labels = new TreeSet<>();
    for (String l : expected.split(" ")) {
      if (!l.isEmpty()) {
        labels.add(l);
      }
    }
    return new Case(name, type, yaml, labels);
  }

  private static void cloudTrail(
      String label, String eventName, String userAgent, String ip, String errorCode)
      throws Exception {
    cloudTrail(label, eventName, userAgent, ip, errorCode, "bob");
  }

  private static void cloudTrail(
      String label,
      String eventName,
      String userAgent,
      String ip,
      String errorCode,
      String userName)
      throws Exception {
    ObjectNode r = JSON.createObjectNode();
    r.put("eventVersion", "1.09");
    r.putObject("userIdentity")
        .put("type", "IAMUser")
        .put("accountId", "111122223333")
        .put("arn", "arn:aws:iam::111122223333:user/" + userName)
        .put("userName", userName);
    r.put("eventTime", "2026-12-01T10:00:0" + (LABELS.size() % 10) + "Z");
    r.put("eventSource", "s3.amazonaws.com");
    r.put("eventName", eventName);
    r.put("awsRegion", "eu-west-1");
    r.put("sourceIPAddress", ip);
    r.put("userAgent", userAgent);
    if (errorCode != null) {
      r.put("errorCode", errorCode);
      r.put("errorMessage", errorCode.equals("AccessDenied") ? "Access Denied for user" : "No key");
    }
    if (!label.equals("d")) {
      ObjectNode params = r.putObject("requestParameters");
      params.put("bucketName", label.equals("f") ? "Audit*Star" : "bucket-" + label);
      params.put("userName", "alice");
    }
    r.put("eventID", "00000000-0000-0000-0000-00000000000" + label);
    if (label.equals("a")) {
      r.put("apiVersion", "dyn-only-value"); // not in Vigil's CloudTrail mapping
    }
    r.put("eventType", "AwsApiCall");
    r.put("recipientAccountId", "111122223333");
    add(label, LogType.CLOUDTRAIL, r);
  }

  private static void flow(String label, int dstport, int bytes, String action) throws Exception {
    ObjectNode r = JSON.createObjectNode();
    r.put("version", 2)
        .put("account-id", "111122223333")
        .put("interface-id", "eni-0a1b2c3d4e5f67890")
        .put("srcaddr", "198.51.100." + (LABELS.size() + 1))
        .put("dstaddr", "10.0.1.25")
        .put("srcport", 40000)
        .put("dstport", dstport)
        .put("protocol", 6)
        .put("packets", 1)
        .put("bytes", bytes)
        .put("start", 1795780800)
        .put("end", 1795780860)
        .put("action", action)
        .put("log-status", "OK");
    add(label, LogType.VPCFLOW, r);
  }

  private static void dns(String label, String queryName) throws Exception {
    ObjectNode r = JSON.createObjectNode();
    r.put("version", "1.100000")
        .put("account_id", "111122223333")
        .put("region", "eu-west-1")
        .put("vpc_id", "vpc-0a1b2c3d4e5f67890")
        .put("query_timestamp", "2026-12-01T10:00:00Z")
        .put("query_name", queryName)
        .put("query_type", "A")
        .put("query_class", "IN")
        .put("rcode", "NOERROR")
        .put("srcaddr", "10.0.1.25")
        .put("srcport", "53000")
        .put("transport", "UDP");
    r.putArray("answers");
    r.putObject("srcids").put("instance", "i-0a1b2c3d4e5f67890");
    add(label, LogType.ROUTE53RESOLVER, r);
  }

  private static void add(String label, LogType type, JsonNode record) {
    List<JsonNode> docs = RuleTester.standard().normalize(record, type, "sigma-spec-" + label);
    assertThat(docs).as(label).hasSize(1);
    LABELS.put(label, label); // the label is the document id
    DOCS.computeIfAbsent(type, t -> new LinkedHashMap<>()).put(label, docs.get(0));
  }

  private static String index(LogType type) {
    return "vigil-" + type.id() + "-sigma-spec";
  }
}
