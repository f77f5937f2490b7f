package dev.vigil.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.LogType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Field comparisons: a wider native query for OpenSearch plus the exact post-filter. */
class PostFilterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EQ =
      "{\"vigil_field_equals\":{\"field\":\"user.name\",\"other_field\":\"aws.request.userName\"}}";
  private final QueryEvaluator eval = new QueryEvaluator(FieldTypes.of(LogType.CLOUDTRAIL));

  private static ObjectNode q(String json) throws Exception {
    return (ObjectNode) JSON.readTree(json);
  }

  private static JsonNode doc(String user, String target) throws Exception {
    return JSON.readTree(
        "{\"eventName\":\"UpdateLoginProfile\",\"user\":{\"name\":\""
            + user
            + "\"},\"aws\":{\"request\":{\"userName\":\""
            + target
            + "\"}},\"requestParameters\":{\"userName\":\""
            + target
            + "\"}}");
  }

  @Test
  void aQueryWithoutComparisonsIsExactAlready() throws Exception {
    PostFilter.Split split = PostFilter.split(q("{\"term\":{\"eventName\":\"X\"}}"));
    assertThat(split.postFilter()).isNull();
    assertThat(split.nativeQuery().toString()).isEqualTo("{\"term\":{\"eventName\":\"X\"}}");
  }

  @Test
  void aNegatedComparisonLeavesTheRestForOpenSearchAndTheWholeAsPostFilter() throws Exception {
    ObjectNode exact =
        q(
            "{\"bool\":{\"filter\":[{\"term\":{\"eventName\":\"UpdateLoginProfile\"}},"
                + "{\"bool\":{\"must_not\":["
                + EQ
                + "]}}]}}");
    PostFilter.Split split = PostFilter.split(exact);
    assertThat(split.nativeQuery().toString())
        .isEqualTo("{\"term\":{\"eventName\":\"UpdateLoginProfile\"}}");
    assertThat(split.postFilter()).isEqualTo(exact);
    assertThat(split.nativeQuery().toString()).doesNotContain("vigil_");
  }

  @Test
  void theNativeQueryMatchesASupersetAndThePostFilterTheExactSet() throws Exception {
    List<String> exacts =
        List.of(
            EQ,
            "{\"bool\":{\"must_not\":[" + EQ + "]}}",
            "{\"bool\":{\"must_not\":[{\"bool\":{\"must_not\":[" + EQ + "]}}]}}",
            "{\"bool\":{\"should\":[" + EQ + ",{\"term\":{\"user.name\":\"bob\"}}]}}",
            "{\"bool\":{\"must_not\":[{\"bool\":{\"filter\":["
                + EQ
                + ",{\"term\":{\"user.name\":\"alice\"}}]}}]}}");
    List<JsonNode> docs = List.of(doc("alice", "alice"), doc("alice", "bob"), doc("bob", "carol"));
    for (String e : exacts) {
      PostFilter.Split split = PostFilter.split(q(e));
      for (JsonNode d : docs) {
        boolean exact = eval.matches(split.postFilter(), d);
        if (exact) {
          assertThat(eval.matches(split.nativeQuery(), d)).as(e + " on " + d).isTrue();
        }
      }
    }
    // and the comparison itself decides
    assertThat(eval.matches(q(EQ), doc("alice", "alice"))).isTrue();
    assertThat(eval.matches(q(EQ), doc("alice", "bob"))).isFalse();
  }

  @Test
  void comparisonsOutsideBoolOrOnTextAreRefused() throws Exception {
    assertThatThrownBy(() -> PostFilter.split(q("{\"constant_score\":{\"filter\":" + EQ + "}}")))
        .hasMessageContaining("inside bool clauses only");
    assertThatThrownBy(
            () ->
                eval.matches(
                    q(
                        "{\"vigil_field_equals\":{\"field\":\"errorMessage\",\"other_field\":\"user.name\"}}"),
                    doc("a", "b")))
        .hasMessageContaining("analyzed text");
  }

  @Test
  void aCompiledRuleWithAComparisonCarriesItAsPostFilterAndCannotCount() throws Exception {
    RuleSource source =
        RuleSource.dsl(
            "r",
            "cloudtrail",
            q(
                "{\"bool\":{\"filter\":[{\"term\":{\"eventName\":\"UpdateLoginProfile\"}}],"
                    + "\"must_not\":["
                    + EQ
                    + "]}}"));
    CompiledRule rule = RuleCompiler.defaults().compile(source);
    assertThat(rule.searchBody().toString()).doesNotContain("vigil_");
    assertThat(rule.toJson().path("postFilter").path("query")).isEqualTo(rule.postFilter());
    assertThat(rule.matches(eval, doc("alice", "bob"))).isTrue();
    assertThat(rule.matches(eval, doc("alice", "alice"))).isFalse();
    assertThat(eval.matches(rule.query(), doc("alice", "alice")))
        .as("OpenSearch's part alone is wider")
        .isTrue();
    assertThatThrownBy(
            () ->
                RuleCompiler.defaults()
                    .compile(source.withCondition(new RuleSource.Threshold(3, "10m", List.of()))))
        .hasMessageStartingWith("condition: the rule compares two fields");
  }
}
