package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.LogType;
import dev.vigil.core.TestData;
import dev.vigil.core.rules.CompiledRule;
import dev.vigil.core.rules.FieldTypes;
import dev.vigil.core.rules.QueryEvaluator;
import dev.vigil.core.rules.RuleCompiler;
import dev.vigil.core.rules.RuleException;
import dev.vigil.core.rules.RuleManifest;
import dev.vigil.core.rules.RuleSource;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.testing.RealPartsExtension;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The in-memory evaluator and a real OpenSearch 2.19 agree: every CloudTrail sample indexed with
 * Vigil's templates, every convertible SigmaHQ CloudTrail rule, the samples/detections rules and
 * probe queries for each semantic edge (flat_object, text, wildcards, case) run both ways and
 * return the same document ids.
 */
@ExtendWith(RealPartsExtension.class)
class RuleAgreementIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INDEX = "vigil-cloudtrail-agreement";
  private static final Map<String, JsonNode> DOCS = new LinkedHashMap<>();
  private static final Map<String, String> EXPECTED = new LinkedHashMap<>();
  private static final Map<String, TreeSet<String>> HITS = new LinkedHashMap<>();

  @BeforeAll
  static void indexSamples(OpenSearchNode node) throws Exception {
    installTemplates(node, List.of(LogType.CLOUDTRAIL));
    BulkBody bulk = new BulkBody(1 << 20);
    for (Samples.Sample sample : Samples.BY_TYPE.get(LogType.CLOUDTRAIL)) {
      CollectingSink sink = new CollectingSink();
      try (InputStream in = Files.newInputStream(TestData.path(sample.path()))) {
        ObjectParser.standard().parse(in, sample.origin(), LogType.CLOUDTRAIL, sink);
      }
      for (ParsedDocument d : sink.documents) {
        DOCS.put(d.id(), CollectingSink.tree(d));
        bulk.add(new ParsedDocument(d.type(), INDEX, d.id(), d.timestamp(), d.source()));
      }
    }
    // The test events of the sample detections give the rules positives to agree on.
    for (RuleManifest m : sampleManifests()) {
      for (RuleManifest.Case c : m.tests()) {
        if (c.isSequence()) {
          continue; // a verdict on the whole rule; RuleTester simulates it
        }
        for (JsonNode doc :
            dev.vigil.core.rules.RuleTester.standard()
                .normalize(c.event(), LogType.CLOUDTRAIL, m.file())) {
          String id =
              doc.path("eventID").asText(); // event.id is an alias of eventID, not in _source
          DOCS.put(id, doc);
          EXPECTED.put(id, m.name() + "|" + c.expectMatch());
          bulk.add(
              new ParsedDocument(
                  LogType.CLOUDTRAIL,
                  INDEX,
                  id,
                  java.time.Instant.parse(doc.path("@timestamp").asText()),
                  JSON.writeValueAsBytes(doc)));
        }
      }
    }
    JsonNode response =
        send(
            node,
            node.request("/_bulk?refresh=true")
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bulk.toByteArray())));
    assertThat(response.path("errors").asBoolean()).as("bulk errors").isFalse();
  }

  @Test
  void everyConvertibleSigmaRuleMatchesTheSameDocumentsBothWays(OpenSearchNode node)
      throws Exception {
    Map<String, CompiledRule> rules = new LinkedHashMap<>();
    for (String dir :
        List.of("sigmahq-sigma/rules/cloudtrail", "sigmahq-sigma/unsupported/cloudtrail")) {
      try (Stream<Path> files = Files.list(TestData.path(dir))) {
        for (Path f : files.sorted().toList()) {
          try {
            rules.put(
                f.getFileName().toString(),
                RuleCompiler.defaults()
                    .compile(RuleSource.sigma(f.getFileName().toString(), Files.readString(f))));
          } catch (RuleException e) {
            // Fails clearly; SigmaCorpusTest pins which ones and why.
          }
        }
      }
    }
    assertThat(rules).hasSizeGreaterThanOrEqualTo(57 + 6);
    Map<String, Integer> matched = agree(node, rules);
    System.out.println(
        "Sigma rules agreeing with OpenSearch: " + rules.size() + ", matches: " + matched);
    assertThat(matched.values().stream().mapToInt(Integer::intValue).sum())
        .as("the samples hold events some rules match, so agreement is not vacuous")
        .isPositive();
  }

  @Test
  void sampleDetectionsMatchTheSameDocumentsBothWays(OpenSearchNode node) throws Exception {
    Map<String, CompiledRule> rules = new LinkedHashMap<>();
    for (RuleManifest m : sampleManifests()) {
      rules.put(m.name(), m.compile(RuleCompiler.defaults()));
    }
    assertThat(rules).hasSizeGreaterThanOrEqualTo(40);
    Map<String, Integer> matched = agree(node, rules);
    System.out.println(
        "Sample detections agreeing with OpenSearch: " + rules.size() + ", matches: " + matched);
    // And OpenSearch itself confirms each embedded test's verdict.
    assertThat(wrongVerdicts(EXPECTED, HITS)).isEmpty();
  }

  @Test
  void probeQueriesForEachSemanticEdgeAgree(OpenSearchNode node) throws Exception {
    List<String> probes =
        List.of(
            "{\"term\":{\"eventName\":\"ListBuckets\"}}",
            "{\"term\":{\"eventName\":\"listbuckets\"}}",
            "{\"prefix\":{\"eventName\":\"List\"}}",
            "{\"wildcard\":{\"eventName\":{\"value\":\"*Bucket*\"}}}",
            "{\"wildcard\":{\"userAgent\":{\"value\":\"*aws-cli*\"}}}",
            "{\"regexp\":{\"userIdentity.arn\":{\"value\":\".*:assumed-role/.+\"}}}",
            "{\"term\":{\"requestParameters.bucketName\":\"mordorsecurity\"}}",
            "{\"prefix\":{\"requestParameters.bucketName\":\"\"}}",
            "{\"prefix\":{\"requestParameters.instanceType\":\"\"}}",
            "{\"wildcard\":{\"requestParameters\":{\"value\":\"*mordor*\"}}}",
            "{\"wildcard\":{\"requestParameters.bucketName\":{\"value\":\"*mordor*\"}}}",
            "{\"term\":{\"userIdentity.sessionContext.sessionIssuer.type\":\"Role\"}}",
            "{\"exists\":{\"field\":\"errorCode\"}}",
            "{\"bool\":{\"must_not\":[{\"exists\":{\"field\":\"errorCode\"}}]}}",
            "{\"match_phrase\":{\"errorMessage\":\"access denied\"}}",
            "{\"term\":{\"source.ip\":\"10.0.0.0/8\"}}",
            "{\"term\":{\"aws.request.bucketName\":\"mordorsecurity\"}}",
            "{\"query_string\":{\"query\":\"eventName:(ListBuckets OR GetBucket*) AND NOT userIdentity.type:Root\",\"analyze_wildcard\":true}}",
            "{\"query_string\":{\"query\":\"_exists_:errorCode\"}}",
            "{\"query_string\":{\"query\":\"errorMessage:\\\"access denied\\\"\"}}",
            "{\"query_string\":{\"query\":\"requestParameters.bucketName:mordor*\"}}");
    Map<String, CompiledRule> rules = new LinkedHashMap<>();
    for (String probe : probes) {
      rules.put(
          probe,
          RuleCompiler.defaults()
              .compile(RuleSource.dsl(probe, "cloudtrail", JSON.readTree(probe))));
    }
    agree(node, rules);
  }

  /** Runs each rule both ways over the CloudTrail index; returns match counts. */
  private static Map<String, Integer> agree(OpenSearchNode node, Map<String, CompiledRule> rules)
      throws Exception {
    Map<String, TreeSet<String>> hits =
        agree(node, INDEX, FieldTypes.of(LogType.CLOUDTRAIL), DOCS, rules);
    HITS.putAll(hits);
    Map<String, Integer> counts = new LinkedHashMap<>();
    hits.forEach((rule, ids) -> counts.put(rule, ids.size()));
    return counts;
  }

  /**
   * Runs each rule both ways — OpenSearch over {@code index}, the evaluator over {@code docs} (the
   * same documents) — and fails listing every disagreement. A rule with a post-filter runs as an
   * executor runs it: OpenSearch's wider native query, then the exact query over each hit's
   * _source. Returns OpenSearch's hits per rule.
   */
  static Map<String, TreeSet<String>> agree(
      OpenSearchNode node,
      String index,
      FieldTypes types,
      Map<String, JsonNode> docs,
      Map<String, CompiledRule> rules)
      throws Exception {
    QueryEvaluator evaluator = new QueryEvaluator(types);
    List<String> disagreements = new ArrayList<>();
    Map<String, TreeSet<String>> hits = new LinkedHashMap<>();
    for (Map.Entry<String, CompiledRule> e : rules.entrySet()) {
      CompiledRule rule = e.getValue();
      ObjectNode body = JSON.createObjectNode();
      body.set("query", rule.query());
      body.put("size", 10_000).put("_source", rule.postFilter() != null);
      JsonNode response =
          send(
              node,
              node.request("/" + index + "/_search")
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
      if (response.has("error")) {
        disagreements.add(e.getKey() + ": OpenSearch error " + response.path("error"));
        continue;
      }
      TreeSet<String> fromCluster = new TreeSet<>();
      for (JsonNode h : response.path("hits").path("hits")) {
        if (rule.postFilter() == null || evaluator.matches(rule.postFilter(), h.path("_source"))) {
          fromCluster.add(h.path("_id").asText());
        }
      }
      TreeSet<String> inMemory = new TreeSet<>();
      for (Map.Entry<String, JsonNode> d : docs.entrySet()) {
        if (rule.matches(evaluator, d.getValue())) {
          inMemory.add(d.getKey());
        }
      }
      if (!fromCluster.equals(inMemory)) {
        disagreements.add(
            e.getKey()
                + ": OpenSearch "
                + fromCluster.size()
                + " "
                + fromCluster
                + " vs in-memory "
                + inMemory.size()
                + " "
                + inMemory);
      }
      hits.put(e.getKey(), fromCluster);
    }
    assertThat(disagreements).as("rules where OpenSearch and the evaluator differ").isEmpty();
    return hits;
  }

  /**
   * The embedded test verdicts OpenSearch contradicts: {@code expected} maps a document id to
   * "rule|expectMatch".
   */
  static List<String> wrongVerdicts(
      Map<String, String> expected, Map<String, TreeSet<String>> hits) {
    List<String> wrong = new ArrayList<>();
    expected.forEach(
        (id, verdict) -> {
          String[] parts = verdict.split("\\|");
          boolean hit = hits.get(parts[0]).contains(id);
          if (hit != Boolean.parseBoolean(parts[1])) {
            wrong.add(parts[0] + " on " + id + ": OpenSearch says " + (hit ? "Match" : "NoMatch"));
          }
        });
    return wrong;
  }

  /** The CloudTrail rules under samples/ (the other types: OtherLogTypesRuleAgreementIT). */
  private static List<RuleManifest> sampleManifests() throws Exception {
    return sampleManifests(LogType.CLOUDTRAIL);
  }

  static List<RuleManifest> sampleManifests(LogType type) throws Exception {
    List<RuleManifest> out = new ArrayList<>();
    try (Stream<Path> files =
        Files.walk(dev.vigil.testing.RepositoryRoot.find().resolve("samples"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (RuleManifest m : RuleManifest.read(Files.readString(f), f.toString())) {
          if (m.compile(RuleCompiler.defaults()).logType() == type) {
            out.add(m);
          }
        }
      }
    }
    return out;
  }

  /**
   * The ingester's component template and the index templates of {@code types}, as it installs
   * them.
   */
  static void installTemplates(OpenSearchNode node, Collection<LogType> types) throws Exception {
    IndexTemplates templates = new IndexTemplates(IndexNaming.defaults());
    put(node, "/_component_template/" + templates.componentName(), templates.componentTemplate());
    for (LogType type : types) {
      put(node, "/_index_template/" + templates.templateName(type), templates.indexTemplate(type));
    }
  }

  static void put(OpenSearchNode node, String path, JsonNode body) throws Exception {
    JsonNode response =
        send(
            node,
            node.request(path)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    assertThat(response.path("acknowledged").asBoolean()).as("%s: %s", path, response).isTrue();
  }

  static JsonNode send(OpenSearchNode node, HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response =
        node.httpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }
}
