package dev.vigil.operator.logsource;

import dev.vigil.api.v1alpha1.LogSourceSpec;
import dev.vigil.api.v1alpha1.LogTypeName;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;

/**
 * The EventBridge rule that routes Security Hub or GuardDuty findings to the log pipeline (a
 * Firehose stream writing to the LogSource's bucket), as the seed does.
 */
public final class FindingsRoute {
  private static final String TARGET_ID = "vigil";
  private final EventBridgeClient events;

  public FindingsRoute(EventBridgeClient events) {
    this.events = events;
  }

  /** The event pattern for a log type's findings, optionally from a minimum severity label up. */
  static String pattern(LogTypeName type, LogSourceSpec.Severity minimumSeverity) {
    String severities = "";
    if (minimumSeverity != null) {
      List<String> kept =
          Arrays.stream(LogSourceSpec.Severity.values())
              .filter(s -> s.compareTo(minimumSeverity) >= 0)
              .map(Enum::name)
              .toList();
      String quoted = "\"" + String.join("\",\"", kept) + "\"";
      severities =
          type == LogTypeName.securityhub
              ? ",\"detail\":{\"findings\":{\"Severity\":{\"Label\":[" + quoted + "]}}}"
              : ",\"detail\":{\"severity\":[" + guardDutyRange(minimumSeverity) + "]}";
    }
    return switch (type) {
      case securityhub ->
          "{\"source\":[\"aws.securityhub\"],\"detail-type\":[\"Security Hub Findings - Imported\"]"
              + severities
              + "}";
      case guardduty ->
          "{\"source\":[\"aws.guardduty\"],\"detail-type\":[\"GuardDuty Finding\"]"
              + severities
              + "}";
      default -> throw new IllegalArgumentException("no EventBridge route for " + type);
    };
  }

  /** GuardDuty severities are numbers: LOW 1–3.9, MEDIUM 4–6.9, HIGH 7–8.9, CRITICAL 9+. */
  private static String guardDutyRange(LogSourceSpec.Severity lowest) {
    int from =
        switch (lowest) {
          case LOW -> 1;
          case MEDIUM -> 4;
          case HIGH -> 7;
          case CRITICAL -> 9;
        };
    return "{\"numeric\":[\">=\"," + from + "]}";
  }

  /** Creates or repairs the rule and its target; writes nothing when both are as wanted. */
  public void ensure(String ruleName, String eventPattern, String targetArn, String roleArn) {
    if (!sameRule(ruleName, eventPattern)) {
      events.putRule(
          r ->
              r.name(ruleName)
                  .eventPattern(eventPattern)
                  .state("ENABLED")
                  .description("Vigil: findings to the log pipeline"));
    }
    boolean targeted =
        events.listTargetsByRule(r -> r.rule(ruleName)).targets().stream()
            .anyMatch(
                t ->
                    TARGET_ID.equals(t.id())
                        && targetArn.equals(t.arn())
                        && Objects.equals(roleArn, t.roleArn()));
    if (!targeted) {
      events.putTargets(
          r -> r.rule(ruleName).targets(t -> t.id(TARGET_ID).arn(targetArn).roleArn(roleArn)));
    }
  }

  private boolean sameRule(String ruleName, String eventPattern) {
    try {
      var rule = events.describeRule(r -> r.name(ruleName));
      return eventPattern.equals(rule.eventPattern()) && "ENABLED".equals(rule.stateAsString());
    } catch (ResourceNotFoundException missing) {
      return false;
    }
  }

  public void delete(String ruleName) {
    try {
      events.removeTargets(r -> r.rule(ruleName).ids(TARGET_ID));
      events.deleteRule(r -> r.name(ruleName));
    } catch (ResourceNotFoundException gone) {
      // already deleted
    }
  }
}
