package dev.vigil.operator.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.api.v1alpha1.DetectionRule;
import dev.vigil.api.v1alpha1.DetectionRuleSpec;
import dev.vigil.api.v1alpha1.DetectionRuleSpec.Engine;
import dev.vigil.api.v1alpha1.LogTypeName;
import dev.vigil.api.v1alpha1.OpenSearchConnectionStatus;
import dev.vigil.core.alerts.AlertRule;
import dev.vigil.core.rules.RuleDefinition;
import dev.vigil.operator.common.InvalidSpecException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleSpecsTest {
  @Test
  void autoFollowsTheAlertingCapabilityAndWaitsForAProbedConnection() {
    OpenSearchConnectionStatus bare = new OpenSearchConnectionStatus();
    bare.capabilities = new OpenSearchConnectionStatus.Capabilities();
    OpenSearchConnectionStatus full = new OpenSearchConnectionStatus();
    full.capabilities = new OpenSearchConnectionStatus.Capabilities();
    full.capabilities.alerting = true;

    assertThat(ExecutorChoice.choose(Engine.Auto, bare)).isEqualTo(ExecutorChoice.BUILT_IN);
    assertThat(ExecutorChoice.choose(Engine.Auto, full)).isEqualTo(ExecutorChoice.ALERTING);
    assertThat(ExecutorChoice.choose(Engine.Auto, new OpenSearchConnectionStatus())).isNull();
    assertThat(ExecutorChoice.choose(Engine.BuiltIn, full)).isEqualTo(ExecutorChoice.BUILT_IN);
    assertThat(ExecutorChoice.choose(Engine.Alerting, null)).isEqualTo(ExecutorChoice.ALERTING);
  }

  @Test
  void acknowledgedIdsAreReadFromTheAnnotationSeparatedByCommasOrSpaces() {
    DetectionRule rule = rule();
    assertThat(RuleSpecs.acknowledged(rule)).isEmpty();
    rule.getMetadata().setAnnotations(Map.of(ScheduledRule.ACKNOWLEDGE, " a1, b2  c3,"));
    assertThat(RuleSpecs.acknowledged(rule)).containsExactlyInAnyOrder("a1", "b2", "c3");
    rule.getMetadata()
        .setAnnotations(
            Map.of(ScheduledRule.ACKNOWLEDGE, "a1", DetectionRule.CLOSE_ANNOTATION, "c3 d4"));
    assertThat(RuleSpecs.requests(rule).acknowledge()).containsExactly("a1");
    assertThat(RuleSpecs.requests(rule).close()).containsExactlyInAnyOrder("c3", "d4");
  }

  @Test
  void theAlertSideDefaultsToOneAlertPerRuleWindowAndGroupedRulesKeyByTheirGroups()
      throws Exception {
    DetectionRule plain = rule();
    var alerts = alerts(plain);
    assertThat(alerts.suppressionWindow()).isEqualTo(Duration.ofMinutes(5));
    assertThat(alerts.key()).isEmpty();

    DetectionRule grouped = rule();
    grouped.getSpec().condition = new DetectionRuleSpec.AlertCondition();
    grouped.getSpec().condition.threshold = 20;
    grouped.getSpec().condition.window = "15m";
    grouped.getSpec().condition.groupBy = List.of("userIdentity.arn");
    grouped.getSpec().suppression = new DetectionRuleSpec.Suppression();
    grouped.getSpec().suppression.window = "1h";
    grouped.getSpec().suppression.key = List.of("sourceIPAddress");
    var groupedAlerts = alerts(grouped);
    assertThat(groupedAlerts.key()).containsExactly("userIdentity.arn");
    assertThat(groupedAlerts.suppressionWindow()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void compilerErrorsNameTheSpecField() {
    DetectionRule rule = rule();
    rule.getSpec().condition = new DetectionRuleSpec.AlertCondition();
    rule.getSpec().condition.threshold = 1;
    rule.getSpec().condition.window = "soon";
    assertThatThrownBy(() -> RuleSpecs.compile(RuleSpecs.definition(rule)))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith("spec.condition.window: 'soon'");
    rule.getSpec().condition = null;
    rule.getSpec().query = null;
    assertThatThrownBy(() -> RuleSpecs.compile(RuleSpecs.definition(rule)))
        .hasMessageStartingWith("set exactly one of query, dsl or sigma");
  }

  private static AlertRule alerts(DetectionRule rule) throws InvalidSpecException {
    RuleDefinition definition = RuleSpecs.definition(rule);
    return AlertRule.of(definition, RuleSpecs.compile(definition));
  }

  private static DetectionRule rule() {
    DetectionRule rule = new DetectionRule();
    rule.getMetadata().setName("r");
    rule.getMetadata().setNamespace("ns");
    rule.setSpec(new DetectionRuleSpec());
    rule.getSpec().severity = 2;
    rule.getSpec().logType = LogTypeName.cloudtrail;
    rule.getSpec().query = "eventName:StopLogging";
    return rule;
  }
}
