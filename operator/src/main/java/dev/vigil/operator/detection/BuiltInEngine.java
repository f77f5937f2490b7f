package dev.vigil.operator.detection;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.alerts.Alert;
import dev.vigil.core.alerts.AlertLifecycle;
import dev.vigil.core.alerts.AlertState;
import dev.vigil.core.alerts.EngineSearch;
import dev.vigil.core.alerts.FirstSeenSearch;
import dev.vigil.core.alerts.Trigger;
import dev.vigil.core.alerts.Triggers;
import dev.vigil.operator.opensearch.OpenSearchException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * One run of one rule: search the rule's indices, evaluate the condition in Java, move the rule's
 * alerts through their lifecycle in {@code vigil-alerts}, and tell the channels about new alerts. A
 * failing search raises an ERROR alert; a cluster that cannot even be read reports the error only
 * in the outcome.
 */
public final class BuiltInEngine implements RuleRunner {
  private static final Logger LOG = Logger.getLogger(BuiltInEngine.class);

  private final AlertIndex alerts;
  private final AlertNotifier notifier;
  private final Clock clock;
  private final Duration lateArrival;

  public BuiltInEngine(
      AlertIndex alerts, AlertNotifier notifier, Clock clock, Duration lateArrival) {
    this.alerts = alerts;
    this.notifier = notifier;
    this.clock = clock;
    this.lateArrival = lateArrival;
  }

  @Override
  public RunOutcome run(ScheduledRule rule) {
    Instant now = clock.instant();
    List<Alert> open;
    try {
      alerts.ensure(rule.rest());
      open = alerts.open(rule.rest(), rule.namespace(), rule.name());
    } catch (OpenSearchException e) {
      return new RunOutcome(now, "Error: " + e.getMessage(), null); // count unknown, not 0
    }
    AlertLifecycle.Plan plan;
    String result;
    String note = null;
    String path =
        "/"
            + rule.compiled().indexPattern()
            + "/_search?ignore_unavailable=true&allow_no_indices=true";
    try {
      List<Trigger> triggers;
      if (rule.compiled().firstSeen() != null) {
        FirstSeenSearch.Result run =
            FirstSeenSearch.run(
                rule.compiled(), now, lateArrival, body -> rule.rest().post(path, body));
        triggers = run.triggers();
        note = run.note();
      } else {
        JsonNode response = rule.rest().post(path, EngineSearch.body(rule.compiled(), lateArrival));
        triggers =
            Triggers.evaluate(
                rule.compiled(),
                rule.alerts(),
                EngineSearch.postFiltered(rule.compiled(), response));
      }
      plan = AlertLifecycle.afterRun(rule.alerts(), now, triggers, open, rule.requests());
      result = triggers.isEmpty() ? RunOutcome.NO_MATCH : RunOutcome.TRIGGERED;
    } catch (OpenSearchException e) {
      plan = AlertLifecycle.afterError(rule.alerts(), now, e.getMessage(), open, rule.requests());
      result = "Error: " + e.getMessage();
    }
    // Alerts the stream raised reach the channels through the first run that sees them open.
    String at = now.toString();
    List<Alert> toNotify = new ArrayList<>();
    for (Alert alert : plan.update()) {
      if (alert.state == AlertState.ACTIVE && alert.notifiedTime == null) {
        alert.notifiedTime = at;
        toNotify.add(alert);
      }
    }
    plan.create().forEach(alert -> alert.notifiedTime = at);
    List<Alert> created;
    try {
      created = alerts.write(rule.rest(), plan);
    } catch (OpenSearchException e) {
      return new RunOutcome(now, "Error: " + e.getMessage(), count(open, List.of()));
    }
    toNotify.addAll(created);
    for (Alert alert : toNotify) {
      LOG.infof(
          "DetectionRule %s: alert %s %s (severity %d): %s",
          rule.key(), alert.id, alert.state, alert.severity, alert.message);
      if (!rule.channels().isEmpty()) {
        notifier.notify(rule.namespace(), rule.channels(), alert);
      }
    }
    return new RunOutcome(now, result, count(open, created), note);
  }

  private static int count(List<Alert> open, List<Alert> created) {
    return (int)
        (open.stream().filter(a -> a.state.isOpen()).count()
            + created.stream().filter(a -> a.state.isOpen()).count());
  }
}
