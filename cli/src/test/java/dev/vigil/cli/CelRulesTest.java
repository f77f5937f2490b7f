package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** x-kubernetes-validations run offline the way the API server runs them. */
class CelRulesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final CelRules cel = new CelRules();

  private static final String SCHEMA =
      "{\"type\":\"object\",\"properties\":{"
          + "\"type\":{\"type\":\"string\"},"
          + "\"severities\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}},"
          + "\"blob\":{\"type\":\"object\",\"x-kubernetes-preserve-unknown-fields\":true},"
          + "\"sns\":{\"type\":\"object\",\"properties\":{\"topicArn\":{\"type\":\"string\"}}}}}";

  private CelRules.Failure check(String rule, String value) throws Exception {
    JsonNode validation = JSON.createObjectNode().put("rule", rule).put("message", "m");
    return cel.check(validation, JSON.readTree(SCHEMA), JSON.readTree(value));
  }

  @Test
  void aRuleThatHoldsPassesAndOneThatDoesNotFailsWithItsMessage() throws Exception {
    String rule = "self.type != 'SNS' || has(self.sns)";
    assertThat(check(rule, "{\"type\":\"SNS\",\"sns\":{\"topicArn\":\"a\"}}")).isNull();
    assertThat(check(rule, "{\"type\":\"Slack\"}")).isNull();
    CelRules.Failure f = check(rule, "{\"type\":\"SNS\"}");
    assertThat(f.message()).isEqualTo("m");
    assertThat(f.notChecked()).isFalse();
  }

  @Test
  void integersAreCelIntsAndMacrosWork() throws Exception {
    String rule = "self.severities.all(s, s >= 1 && s <= 5)";
    assertThat(check(rule, "{\"severities\":[1,5]}")).isNull();
    assertThat(check(rule, "{\"severities\":[1,7]}")).isNotNull();
  }

  @Test
  void fieldsInsideSchemalessObjectsAreInvisibleLikeOnTheServer() throws Exception {
    assertThat(check("has(self.blob)", "{\"blob\":{\"x\":1}}")).isNull();
    CelRules.Failure f = check("has(self.blob.x)", "{\"blob\":{\"x\":1}}");
    assertThat(f).isNotNull();
    assertThat(f.notChecked()).isFalse();
  }

  @Test
  void anErrorRejectsAndWhatCannotRunHereIsAWarningNotAPass() throws Exception {
    CelRules.Failure error = check("self.sns.topicArn == 'a'", "{\"type\":\"SNS\"}");
    assertThat(error.message()).startsWith("m (CEL error:");
    CelRules.Failure unknownFunction = check("isURL(self.type)", "{\"type\":\"x\"}");
    assertThat(unknownFunction.notChecked()).isTrue();
    assertThat(unknownFunction.message()).startsWith("CEL rule not checked offline");
    assertThat(check("self.type == oldSelf.type", "{\"type\":\"x\"}"))
        .as("a transition rule holds on create, as on the API server")
        .isNull();
  }
}
