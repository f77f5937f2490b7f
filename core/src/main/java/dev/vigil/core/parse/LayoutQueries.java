package dev.vigil.core.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.core.dashboards.DashboardDefinition;
import dev.vigil.core.dashboards.DashboardRenderer;
import dev.vigil.core.dashboards.SavedObject;
import dev.vigil.core.dashboards.VisualizationRequests;
import dev.vigil.core.rules.CompiledRule;
import dev.vigil.core.rules.RuleCompiler;
import dev.vigil.core.rules.RuleManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every search Vigil ships that an index layout must answer: each shipped DetectionRule's search
 * (without its time window, with its groupBy aggregation), each shipped Dashboard's visualization
 * and saved-search request, and the documented analyst queries ({@link #ANALYST}). The storage
 * benchmark times them and the layout test holds two layouts to the same answers.
 */
public final class LayoutQueries {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  /**
   * @param name where the query comes from (file and rule/panel)
   * @param indexPattern the pattern it searches, under the default prefix {@code vigil-}
   * @param body the {@code _search} body
   */
  public record Query(String name, String indexPattern, ObjectNode body) {
    /** The pattern with the default prefix {@code vigil-} replaced by {@code prefix-}. */
    public String indexPattern(String prefix) {
      return indexPattern.replaceFirst("^vigil-", prefix + "-");
    }
  }

  /**
   * Queries an analyst runs in Discover or the API over each log type (documented in
   * docs/performance.md): lookups by dotted path inside free-form blocks, wildcards, ranges, CIDR,
   * and the aggregations behind everyday questions (who, from where, which bucket).
   */
  public static final List<Query> ANALYST =
      List.of(
          analyst(
              "cloudtrail: failed console logins by user",
              "vigil-cloudtrail-*",
              "{\"query\":{\"query_string\":{\"query\":\"eventName:ConsoleLogin AND errorCode:*\"}},"
                  + "\"aggs\":{\"by\":{\"terms\":{\"field\":\"user.name\"}}}}"),
          analyst(
              "cloudtrail: a bucket's requests (flat_object path)",
              "vigil-cloudtrail-*",
              "{\"query\":{\"query_string\":{\"query\":\"requestParameters.bucketName:data-111122223333\"}}}"),
          analyst(
              "cloudtrail: access denied by principal",
              "vigil-cloudtrail-*",
              "{\"query\":{\"term\":{\"errorCode\":\"AccessDenied\"}},"
                  + "\"aggs\":{\"by\":{\"terms\":{\"field\":\"userIdentity.arn\",\"size\":20}}}}"),
          analyst(
              "cloudtrail: deletes by service, per hour",
              "vigil-cloudtrail-*",
              "{\"query\":{\"prefix\":{\"eventName\":\"Delete\"}},\"aggs\":{\"t\":{\"date_histogram\":"
                  + "{\"field\":\"@timestamp\",\"fixed_interval\":\"1h\"},\"aggs\":{\"s\":{\"terms\":"
                  + "{\"field\":\"event.provider\"}}}}}}"),
          analyst(
              "cloudtrail: top buckets (promoted field)",
              "vigil-cloudtrail-*",
              "{\"size\":0,\"aggs\":{\"b\":{\"terms\":{\"field\":\"aws.request.bucketName\"}}}}"),
          analyst(
              "cloudtrail: activity of an address",
              "vigil-cloudtrail-*",
              "{\"query\":{\"term\":{\"related.ip\":\"198.51.100.7\"}},\"sort\":[{\"@timestamp\":\"desc\"}]}"),
          analyst(
              "cloudtrail: calls by account and region",
              "vigil-cloudtrail-*",
              "{\"size\":0,\"aggs\":{\"a\":{\"terms\":{\"field\":\"cloud.account.id\"},\"aggs\":"
                  + "{\"r\":{\"terms\":{\"field\":\"cloud.region\"}}}}}}"),
          analyst(
              "cloudtrail: agent wildcard",
              "vigil-cloudtrail-*",
              "{\"query\":{\"wildcard\":{\"userAgent\":{\"value\":\"*aws-cli*\"}}}}"),
          analyst(
              "cloudtrail: an event by id",
              "vigil-cloudtrail-*",
              "{\"query\":{\"query_string\":{\"query\":\"eventID:\\\"00000000-0000-0000-0000-000000000007\\\"\"}}}"),
          analyst(
              "vpcflow: rejected by destination port",
              "vigil-vpcflow-*",
              "{\"query\":{\"term\":{\"action\":\"REJECT\"}},\"aggs\":{\"p\":{\"terms\":{\"field\":\"dstport\"}}}}"),
          analyst(
              "vpcflow: bytes by source in a CIDR",
              "vigil-vpcflow-*",
              "{\"query\":{\"term\":{\"srcaddr\":\"10.0.0.0/16\"}},\"aggs\":{\"s\":{\"terms\":"
                  + "{\"field\":\"source.ip\",\"size\":10,\"order\":{\"b\":\"desc\"}},\"aggs\":{\"b\":"
                  + "{\"sum\":{\"field\":\"network.bytes\"}}}}}}"),
          analyst(
              "vpcflow: ssh flows",
              "vigil-vpcflow-*",
              "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"destination.port\":22}},"
                  + "{\"range\":{\"bytes\":{\"gte\":1000}}}]}}}"),
          analyst(
              "waf: blocked by client and rule",
              "vigil-waf-*",
              "{\"query\":{\"term\":{\"action\":\"BLOCK\"}},\"aggs\":{\"c\":{\"terms\":"
                  + "{\"field\":\"httpRequest.clientIp\"}},\"r\":{\"terms\":{\"field\":\"terminatingRuleId\"}}}}"),
          analyst(
              "waf: requests by country",
              "vigil-waf-*",
              "{\"size\":0,\"aggs\":{\"c\":{\"terms\":{\"field\":\"httpRequest.country\"}}}}"),
          analyst(
              "waf: rule group in a free-form block",
              "vigil-waf-*",
              "{\"query\":{\"query_string\":{\"query\":"
                  + "\"ruleGroupList.ruleGroupId:AWS#AWSManagedRulesCommonRuleSet AND httpRequest.uri:*products*\"}}}"),
          // docs/log-types/README.md, "No silent field drops": values that did not fit their type.
          analyst(
              "cloudtrail: a boolean that did not fit, as written (readOnly.raw)",
              "vigil-cloudtrail-*",
              "{\"query\":{\"query_string\":{\"query\":\"readOnly.raw:maybe OR readOnly:false\"}}}"),
          analyst(
              "cloudtrail: a date that did not fit, as written (creationDate.raw)",
              "vigil-cloudtrail-*",
              "{\"query\":{\"query_string\":{\"query\":"
                  + "\"userIdentity.sessionContext.attributes.creationDate.raw:\\\"not-a-date\\\"\"}}}"),
          analyst(
              "cloudtrail: every document with a value that did not fit",
              "vigil-cloudtrail-*",
              "{\"query\":{\"query_string\":{\"query\":\"_exists_:_ignored\"}}}"));

  private LayoutQueries() {}

  private static Query analyst(String name, String pattern, String body) {
    try {
      return new Query("analyst: " + name, pattern, (ObjectNode) JSON.readTree(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every DetectionRule under {@code samples}, as its search without the time window. */
  public static List<Query> rules(Path samples) {
    List<Query> out = new ArrayList<>();
    for (Path file : yamlFiles(samples)) {
      for (RuleManifest manifest : RuleManifest.read(read(file), file.toString())) {
        CompiledRule rule = manifest.compile(RuleCompiler.defaults());
        ObjectNode body = rule.searchBody();
        // The window is relative to now; the layouts are compared over the same stored events.
        ArrayNode filter = (ArrayNode) body.path("query").path("bool").path("filter");
        filter.remove(filter.size() - 1);
        body.remove("sort");
        out.add(new Query(samples.relativize(file) + " " + rule.name(), rule.indexPattern(), body));
      }
    }
    return out;
  }

  /** Every visualization's and saved search's request of every Dashboard under {@code samples}. */
  public static List<Query> dashboards(Path samples) {
    List<Query> out = new ArrayList<>();
    for (Path file : yamlFiles(samples)) {
      JsonNode manifest;
      try {
        manifest = YAML.readTree(file.toFile());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
      if (manifest == null || !DashboardDefinition.KIND.equals(manifest.path("kind").asText())) {
        continue;
      }
      var rendered =
          new DashboardRenderer(
                  manifest.path("metadata").path("namespace").asText("default"),
                  manifest.path("metadata").path("name").asText())
              .render(DashboardDefinition.fromSpec(manifest.path("spec")));
      Map<String, SavedObject> byId =
          rendered.objects().stream()
              .collect(Collectors.toMap(SavedObject::id, Function.identity()));
      for (SavedObject object : rendered.objects()) {
        if (object.type().equals(SavedObject.VISUALIZATION)
            || object.type().equals(SavedObject.SEARCH)) {
          VisualizationRequests.Request request = VisualizationRequests.of(object, byId);
          out.add(
              new Query(
                  samples.relativize(file) + " " + object.type() + " '" + object.title() + "'",
                  request.indexPattern(),
                  request.body()));
        }
      }
    }
    return out;
  }

  private static List<Path> yamlFiles(Path samples) {
    try (Stream<Path> files = Files.walk(samples)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + samples, e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
