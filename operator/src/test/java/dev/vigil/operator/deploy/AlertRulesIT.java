package dev.vigil.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.parts.GoTools;
import dev.vigil.testing.RepositoryRoot;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The monitoring component's alerts, evaluated by the real Prometheus rule engine ({@code promtool
 * test rules}) on series shaped like the operator's and ingesters' scraped /q/metrics
 * (src/test/resources/promtool/vigil-alerts-test.yaml): each alert fires where it should, with the
 * labels and text a person gets, and stays quiet otherwise.
 */
class AlertRulesIT {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String TESTS = "vigil-alerts-test.yaml";

  @Test
  void everyAlertFiresAndStaysQuietAsTested() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("target"), "promtool-").toAbsolutePath();
    JsonNode rule =
        YAML.readTree(
            RepositoryRoot.find()
                .resolve("deploy/kustomize/components/monitoring/prometheusrule.yaml")
                .toFile());
    // A PrometheusRule's spec is a Prometheus rule file.
    YAML.writeValue(dir.resolve("rules.yaml").toFile(), rule.get("spec"));
    try (InputStream tests = AlertRulesIT.class.getResourceAsStream("/promtool/" + TESTS)) {
      Files.copy(tests, dir.resolve(TESTS));
    }

    GoTools.Result result =
        GoTools.run(
            List.of(GoTools.promtool().toString(), "test", "rules", dir.resolve(TESTS).toString()),
            "");

    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
  }

  /** The test file has a quiet and a firing case for every alert of the rule. */
  @Test
  void everyAlertHasAQuietAndAFiringCase() throws Exception {
    JsonNode rule =
        YAML.readTree(
            RepositoryRoot.find()
                .resolve("deploy/kustomize/components/monitoring/prometheusrule.yaml")
                .toFile());
    JsonNode tests;
    try (InputStream in = AlertRulesIT.class.getResourceAsStream("/promtool/" + TESTS)) {
      tests = YAML.readTree(in);
    }
    List<String> alerts = new ArrayList<>();
    rule.at("/spec/groups")
        .forEach(g -> g.get("rules").forEach(r -> alerts.add(r.get("alert").asText())));
    assertThat(alerts).hasSizeGreaterThan(10);
    for (String alert : alerts) {
      List<JsonNode> cases = new ArrayList<>();
      tests
          .get("tests")
          .forEach(
              t ->
                  t.get("alert_rule_test")
                      .forEach(
                          c -> {
                            if (c.get("alertname").asText().equals(alert)) {
                              cases.add(c);
                            }
                          }));
      assertThat(cases).as(alert + " quiet case").anyMatch(c -> c.get("exp_alerts").isEmpty());
      assertThat(cases).as(alert + " firing case").anyMatch(c -> !c.get("exp_alerts").isEmpty());
    }
  }
}
