package dev.vigil.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.LogType;
import org.junit.jupiter.api.Test;

class QueryEvaluatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final QueryEvaluator eval = new QueryEvaluator(FieldTypes.of(LogType.CLOUDTRAIL));

  private static final String DOC =
      "{\"eventName\":\"PutBucketVersioning\",\"userAgent\":\"S3 Browser 9\","
          + "\"errorMessage\":\"Failed authentication for user\","
          + "\"requestParameters\":{\"bucketName\":\"b1\",\"VersioningConfiguration\":{\"Status\":\"Suspended\"},"
          + "\"list\":[{\"x\":\"1\"},{\"x\":\"2\"}]},"
          + "\"source\":{\"ip\":\"10.1.2.3\"},\"event\":{\"action\":\"PutBucketVersioning\"},"
          + "\"aws.request\":{\"bucketName\":\"b1\"}}";

  private boolean m(String query) throws Exception {
    return eval.matches(JSON.readTree(query), JSON.readTree(DOC));
  }

  @Test
  void keywordTermsAreExactAndCaseSensitive() throws Exception {
    assertThat(m("{\"term\":{\"eventName\":\"PutBucketVersioning\"}}")).isTrue();
    assertThat(m("{\"term\":{\"eventName\":\"putbucketversioning\"}}")).isFalse();
    assertThat(
            m(
                "{\"term\":{\"eventName\":{\"value\":\"putbucketversioning\",\"case_insensitive\":true}}}"))
        .isTrue();
    assertThat(m("{\"terms\":{\"event.action\":[\"X\",\"PutBucketVersioning\"]}}")).isTrue();
    assertThat(m("{\"term\":{\"aws.request.bucketName\":\"b1\"}}")).isTrue();
  }

  @Test
  void flatObjectPathsAndRootSearchLeafValues() throws Exception {
    assertThat(m("{\"term\":{\"requestParameters.VersioningConfiguration.Status\":\"Suspended\"}}"))
        .isTrue();
    assertThat(m("{\"term\":{\"requestParameters.list.x\":\"2\"}}")).isTrue();
    assertThat(m("{\"wildcard\":{\"requestParameters\":{\"value\":\"*uspend*\"}}}")).isTrue();
    assertThat(m("{\"prefix\":{\"requestParameters.bucketName\":\"\"}}")).isTrue();
    assertThat(m("{\"prefix\":{\"requestParameters.nothing\":\"\"}}")).isFalse();
    assertThatThrownBy(() -> m("{\"exists\":{\"field\":\"requestParameters.bucketName\"}}"))
        .hasMessageContaining("returns nothing");
  }

  @Test
  void boolWildcardRegexpAndCidr() throws Exception {
    assertThat(
            m(
                "{\"bool\":{\"filter\":[{\"wildcard\":{\"userAgent\":{\"value\":\"*Browser*\"}}}],"
                    + "\"must_not\":[{\"term\":{\"eventName\":\"X\"}}]}}"))
        .isTrue();
    assertThat(m("{\"bool\":{\"should\":[{\"term\":{\"eventName\":\"X\"}}]}}")).isFalse();
    assertThat(m("{\"regexp\":{\"userAgent\":{\"value\":\"S3 .+\"}}}")).isTrue();
    assertThat(m("{\"regexp\":{\"userAgent\":{\"value\":\"Browser\"}}}")).isFalse();
    assertThat(m("{\"term\":{\"source.ip\":\"10.0.0.0/8\"}}")).isTrue();
    assertThat(m("{\"term\":{\"source.ip\":\"11.0.0.0/8\"}}")).isFalse();
  }

  @Test
  void anIpValueThatIsAHostNameIsInNoNetworkAndIsNeverResolved() throws Exception {
    // "localhost" resolves to 127.0.0.1 without DNS (the hosts file): a resolving check would
    // match.
    JsonNode doc = JSON.readTree("{\"source\":{\"ip\":\"localhost\"}}");
    assertThat(eval.matches(JSON.readTree("{\"term\":{\"source.ip\":\"127.0.0.0/8\"}}"), doc))
        .isFalse();
  }

  @Test
  void textFieldsMatchAnalyzedWords() throws Exception {
    assertThat(m("{\"match_phrase\":{\"errorMessage\":\"failed Authentication\"}}")).isTrue();
    assertThat(m("{\"term\":{\"errorMessage\":\"Failed authentication for user\"}}")).isFalse();
    assertThat(m("{\"query_string\":{\"query\":\"errorMessage:\\\"Failed authentication\\\"\"}}"))
        .isTrue();
  }

  @Test
  void queryStringSubset() throws Exception {
    assertThat(
            m("{\"query_string\":{\"query\":\"eventName:(X OR PutBucket*) AND NOT userAgent:y\"}}"))
        .isTrue();
    assertThat(
            m(
                "{\"query_string\":{\"query\":\"_exists_:userAgent AND -eventName:PutBucketVersioning\"}}"))
        .isFalse();
    assertThat(m("{\"query_string\":{\"query\":\"userAgent:\\\"S3 Browser 9\\\"\"}}")).isTrue();
  }

  @Test
  void unsupportedQueriesFailInsteadOfGuessing() {
    assertThatThrownBy(() -> m("{\"fuzzy\":{\"eventName\":\"x\"}}"))
        .hasMessageContaining("'fuzzy'");
    assertThatThrownBy(() -> m("{\"range\":{\"@timestamp\":{\"gte\":\"now-1h\"}}}"))
        .hasMessageContaining("date math");
  }

  static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }
}
