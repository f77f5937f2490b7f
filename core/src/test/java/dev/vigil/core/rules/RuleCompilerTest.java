package dev.vigil.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleCompilerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RuleCompiler compiler = RuleCompiler.defaults();

  @Test
  void queryCompilesToQueryStringOverTheLogTypesIndices() {
    CompiledRule rule =
        compiler.compile(
            RuleSource.query("r", "cloudtrail", "eventName:(StopLogging OR DeleteTrail)"));
    assertThat(rule.indexPattern()).isEqualTo("vigil-cloudtrail-*");
    assertThat(rule.queryJson())
        .isEqualTo(
            "{\"query_string\":{\"query\":\"eventName:(StopLogging OR DeleteTrail)\","
                + "\"analyze_wildcard\":true,\"allow_leading_wildcard\":true}}");
    assertThat(rule.searchBody().toString())
        .contains("{\"range\":{\"@timestamp\":{\"gte\":\"now-300s\",\"lte\":\"now\"}}}");
    assertThat(rule.conditionJson().path("type").asText()).isEqualTo("any");
  }

  @Test
  void aQueryOnAStoredOnlyFieldIsRefusedAndOneOnAnAliasCompiles() {
    assertThatThrownBy(
            () ->
                compiler.compile(
                    RuleSource.query("r", "cloudtrail", "eventName:X AND vpcEndpointId:vpce-1")))
        .isInstanceOf(RuleException.class)
        .hasMessageStartingWith("query: vpcEndpointId is stored only in cloudtrail indices");
    assertThatThrownBy( // inside a block mapped enabled: false
            () -> compiler.compile(RuleSource.query("r", "cloudtrail", "resources.ARN:x")))
        .isInstanceOf(RuleException.class)
        .hasMessageStartingWith("query: resources.ARN is stored only in cloudtrail indices");
    assertThat(
            compiler
                .compile(RuleSource.query("r", "cloudtrail", "event.action:X AND cloud.region:y"))
                .queryJson())
        .contains("event.action:X");
  }

  @Test
  void dslIsUsedAsIsAndMustBeOneQueryObject() throws Exception {
    CompiledRule rule =
        compiler.compile(
            RuleSource.dsl("r", "cloudtrail", JSON.readTree("{\"term\":{\"eventName\":\"X\"}}")));
    assertThat(rule.queryJson()).isEqualTo("{\"term\":{\"eventName\":\"X\"}}");
    assertThatThrownBy(
            () -> compiler.compile(RuleSource.dsl("r", "cloudtrail", JSON.readTree("[1]"))))
        .hasMessageContaining("dsl: must be a JSON object");
    assertThatThrownBy(
            () ->
                compiler.compile(
                    RuleSource.dsl(
                        "r", "cloudtrail", JSON.readTree("{\"query\":{\"match_all\":{}}}"))))
        .hasMessageContaining("outer \"query\"");
  }

  @Test
  void exactlyOneOfQueryDslSigmaNamingTheFields() {
    assertThatThrownBy(
            () ->
                compiler.compile(
                    new RuleSource("r", "a:b", null, "title: x", "cloudtrail", null, null, null)))
        .hasMessage("set exactly one of query, dsl or sigma (set: query, sigma)");
    assertThatThrownBy(
            () ->
                compiler.compile(
                    new RuleSource("r", null, null, null, "cloudtrail", null, null, null)))
        .hasMessage("set exactly one of query, dsl or sigma (none is set)");
  }

  @Test
  void thresholdCountsInTheWindowAndGroupByAggregatesWithABucketCondition() {
    RuleSource base = RuleSource.query("r", "cloudtrail", "errorCode:AccessDenied");
    CompiledRule count =
        compiler.compile(base.withCondition(new RuleSource.Threshold(10, "15m", null)));
    assertThat(count.searchBody().path("track_total_hits").asBoolean()).isTrue();
    assertThat(count.searchBody().toString()).contains("now-900s");
    assertThat(count.conditionJson().toString())
        .isEqualTo("{\"type\":\"count\",\"threshold\":10,\"window\":\"PT15M\"}");

    CompiledRule grouped =
        compiler.compile(
            base.withCondition(new RuleSource.Threshold(5, "1h", List.of("userIdentity.arn"))));
    assertThat(grouped.searchBody().path("aggs").toString())
        .isEqualTo(
            "{\"groups\":{\"terms\":{\"field\":\"userIdentity.arn\",\"size\":1000,\"min_doc_count\":6}}}");
    assertThat(grouped.conditionJson().path("type").asText()).isEqualTo("bucket");
    CompiledRule two =
        compiler.compile(
            base.withCondition(
                new RuleSource.Threshold(5, "1h", List.of("userIdentity.arn", "source.ip"))));
    assertThat(two.searchBody().path("aggs").path("groups").has("multi_terms")).isTrue();
  }

  @Test
  void groupByAFlatObjectPathIsRefusedWithTheMappedAlternative() {
    RuleSource base = RuleSource.query("r", "cloudtrail", "eventName:CreateBucket");
    assertThatThrownBy(
            () ->
                compiler.compile(
                    base.withCondition(
                        new RuleSource.Threshold(
                            1, "1h", List.of("requestParameters.bucketName")))))
        .hasMessageContaining("aws.request.bucketName");
  }

  @Test
  void groupingByAFieldWithoutDocValuesIsRefusedNamingIt() {
    RuleSource base = RuleSource.query("r", "cloudtrail", "eventName:CreateBucket");
    assertThatThrownBy( // event.id is an alias of eventID, indexed for search only
            () ->
                compiler.compile(
                    base.withCondition(new RuleSource.Threshold(1, "1h", List.of("event.id")))))
        .isInstanceOf(RuleException.class)
        .hasMessageStartingWith("condition.groupBy: event.id has no doc values in cloudtrail");
    assertThatThrownBy(
            () ->
                compiler.compile(
                    base.withFirstSeen(
                        new RuleSource.FirstSeen(List.of("eventName", "readOnly.raw"), "7d"))))
        .isInstanceOf(RuleException.class)
        .hasMessageStartingWith("firstSeen.fields: readOnly.raw has no doc values in cloudtrail");
    assertThat(
            compiler
                .compile(
                    base.withCondition(new RuleSource.Threshold(1, "1h", List.of("event.action"))))
                .searchBody()
                .toString())
        .contains("eventName");
  }

  @Test
  void badQueriesAndLogTypesAreNamed() {
    assertThatThrownBy(() -> compiler.compile(RuleSource.query("r", "cloudtrail", "StopLogging")))
        .hasMessageContaining("no field");
    assertThatThrownBy(() -> compiler.compile(RuleSource.query("r", "cloudtrail", "a:b c:d")))
        .hasMessageContaining("without an operator");
    assertThatThrownBy(() -> compiler.compile(RuleSource.query("r", "nope", "a:b")))
        .hasMessageContaining("logType: unknown log type 'nope'");
    assertThatThrownBy(
            () ->
                compiler.compile(
                    RuleSource.query("r", "cloudtrail", "a:b")
                        .withCondition(new RuleSource.Threshold(1, "15 minutes", null))))
        .hasMessageContaining("condition.window");
  }

  @Test
  void indexPatternReplacesTheLogType() {
    CompiledRule rule =
        compiler.compile(RuleSource.query("r", null, "a:b").withIndexPattern("my-logs-*"));
    assertThat(rule.indexPattern()).isEqualTo("my-logs-*");
    assertThat(rule.logType()).isNull();
  }
}
