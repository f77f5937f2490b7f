package dev.vigil.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.LogType;
import dev.vigil.core.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every SigmaHQ CloudTrail rule in the shared test data converts, or fails clearly. */
class SigmaCorpusTest {
  static final String RULES = "sigmahq-sigma/rules/cloudtrail";
  static final String UNSUPPORTED = "sigmahq-sigma/unsupported/cloudtrail";

  /** Rules of rules/ that cannot convert exactly, and the construct each must name: none. */
  static final Map<String, String> NOT_CONVERTIBLE = Map.of();

  static List<Path> files(String dir) throws IOException {
    try (Stream<Path> s = Files.list(TestData.path(dir))) {
      return s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
  }

  static List<Path> rules() throws IOException {
    return files(RULES);
  }

  static CompiledRule compile(Path file) throws IOException {
    return RuleCompiler.defaults()
        .compile(RuleSource.sigma(file.getFileName().toString(), Files.readString(file)));
  }

  @Test
  void theCorpusHasAllFiftySevenRules() throws IOException {
    assertThat(rules()).hasSize(57);
    assertThat(files(UNSUPPORTED)).hasSize(8);
  }

  @ParameterizedTest
  @MethodSource("rules")
  void everyRuleConvertsOrNamesTheConstruct(Path file) throws IOException {
    String name = file.getFileName().toString();
    if (NOT_CONVERTIBLE.containsKey(name)) {
      assertThatThrownBy(() -> compile(file))
          .isInstanceOf(RuleException.class)
          .hasMessageStartingWith(NOT_CONVERTIBLE.get(name));
      return;
    }
    CompiledRule rule = compile(file);
    assertThat(rule.logType()).isEqualTo(LogType.CLOUDTRAIL);
    assertThat(rule.indexPattern()).isEqualTo("vigil-cloudtrail-*");
    assertThat(rule.attribution().author()).isNotBlank();
    assertThat(rule.attribution().line()).contains("DRL").contains(rule.attribution().title());
    assertThat(rule.queryJson()).doesNotContain("query_string").doesNotContain("vigil_");
  }

  @Test
  void allFiftySevenRulesConvert() throws IOException {
    int converted = 0;
    for (Path file : rules()) {
      compile(file);
      converted++;
    }
    assertThat(converted).isEqualTo(57);
  }

  @Test
  void fieldrefBecomesAPostFilterBehindAWiderNativeQuery() throws Exception {
    CompiledRule rule = compile(TestData.path(RULES + "/aws_update_login_profile.yml"));
    assertThat(rule.queryJson())
        .isEqualTo(
            "{\"bool\":{\"filter\":["
                + "{\"term\":{\"eventSource\":\"iam.amazonaws.com\"}},"
                + "{\"term\":{\"eventName\":\"UpdateLoginProfile\"}}]}}");
    assertThat(rule.postFilter().toString())
        .contains(
            "{\"bool\":{\"must_not\":[{\"vigil_field_equals\":{\"field\":\"userIdentity.arn\","
                + "\"other_field\":\"requestParameters.userName\"}}]}}");
    QueryEvaluator eval = new QueryEvaluator(FieldTypes.of(LogType.CLOUDTRAIL));
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    String event =
        "{\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"UpdateLoginProfile\","
            + "\"userIdentity\":{\"arn\":\"%s\"},\"requestParameters\":{\"userName\":\"%s\"}}";
    assertThat(rule.matches(eval, json.readTree(event.formatted("arn:x:user/a", "bob")))).isTrue();
    assertThat(rule.matches(eval, json.readTree(event.formatted("bob", "bob")))).isFalse();
  }

  @Test
  void countRulesUnderUnsupportedConvertToThresholds() throws IOException {
    Map<String, String> expected =
        Map.of(
            "aws_ec2_download_userdata.yml", "10/30m/[]",
            "aws_enum_backup.yml", "5/10m/[]",
            "aws_enum_listing.yml", "50/10m/[]",
            "aws_enum_network.yml", "5/10m/[]",
            "aws_enum_storage.yml", "5/10m/[]",
            "aws_macic_evasion.yml", "5/10m/[sourceIPAddress]");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      CompiledRule rule = compile(TestData.path(UNSUPPORTED + "/" + e.getKey()));
      RuleSource.Threshold t = rule.condition();
      assertThat(t.threshold() + "/" + t.window() + "/" + t.groupBy())
          .as(e.getKey())
          .isEqualTo(e.getValue());
    }
  }

  @Test
  void correlationRulesFailNamingTheConstructAndLine() {
    assertThatThrownBy(
            () ->
                compile(TestData.path(UNSUPPORTED + "/aws_lambda_function_created_or_invoked.yml")))
        .hasMessageContaining("line ")
        .hasMessageContaining("'near");
    assertThatThrownBy(() -> compile(TestData.path(UNSUPPORTED + "/aws_ses_messaging_enabled.yml")))
        .hasMessageContaining("line ")
        .hasMessageContaining("timeframe without count()");
  }

  @Test
  void listingRuleKeepsItsWildcardAsAPrefixQuery() throws IOException {
    CompiledRule rule = compile(TestData.path(UNSUPPORTED + "/aws_enum_listing.yml"));
    assertThat(rule.queryJson()).isEqualTo("{\"prefix\":{\"eventName\":\"list\"}}");
  }
}
