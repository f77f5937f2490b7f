package dev.vigil.operator.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.api.v1alpha1.DetectionRule;
import dev.vigil.api.v1alpha1.DetectionRuleSpec;
import dev.vigil.api.v1alpha1.NotificationChannel;
import dev.vigil.api.v1alpha1.NotificationChannelSpec;
import dev.vigil.core.alerts.MonitorDestination;
import dev.vigil.core.alerts.VigilMarker;
import dev.vigil.core.rules.RuleDefinition;
import dev.vigil.operator.detection.RuleSpecs;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertingMonitorExecutorTest {
  @Test
  void theRuleDefinitionAndTheDestinationsComeFromTheResources() throws Exception {
    DetectionRule rule = new DetectionRule();
    rule.setMetadata(new ObjectMetaBuilder().withNamespace("sec").withName("root-usage").build());
    rule.setSpec(new DetectionRuleSpec());
    rule.getSpec().severity = 1;
    rule.getSpec().interval = "10m";
    rule.getSpec().suppression = new DetectionRuleSpec.Suppression();
    rule.getSpec().suppression.window = "2h";
    rule.getSpec().monitorType = DetectionRuleSpec.MonitorType.DocumentLevel;
    RuleDefinition info = RuleSpecs.definition(rule);
    assertThat(info.namespace()).isEqualTo("sec");
    assertThat(info.interval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(info.suppression().window()).isEqualTo(Duration.ofHours(2));
    assertThat(info.monitorType()).isEqualTo(RuleDefinition.MonitorType.DocumentLevel);
    rule.getSpec().severity = null;
    assertThatThrownBy(() -> RuleSpecs.definition(rule)).hasMessageContaining("severity");

    NotificationChannel channel = new NotificationChannel();
    channel.setMetadata(new ObjectMetaBuilder().withNamespace("sec").withName("pager").build());
    channel.setSpec(new NotificationChannelSpec());
    channel.getSpec().severities = List.of(1, 2);
    MonitorDestination target = AlertingMonitorExecutor.destination(channel);
    assertThat(target.configId()).isEqualTo(VigilMarker.channelConfigId("sec", "pager"));
    assertThat(target.receives(2)).isTrue();
    assertThat(target.receives(3)).isFalse();
  }

  @Test
  void everyMonitorTypeOfTheApiIsOneCoreRenders() {
    // core cannot see api's enum: the two lists must name the same kinds, in the same order.
    assertThat(java.util.Arrays.stream(DetectionRuleSpec.MonitorType.values()).map(Enum::name))
        .containsExactlyElementsOf(
            java.util.Arrays.stream(RuleDefinition.MonitorType.values()).map(Enum::name).toList());
  }
}
