package dev.vigil.core.alerts;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Moves a rule's alerts through their lifecycle after one run, without I/O: given what fired now
 * and the alerts still open, it says which alerts to create and which to rewrite.
 *
 * <ul>
 *   <li>a key that fires with an open alert updates that alert (one alert for a burst that goes
 *       on);
 *   <li>a key that fires without one creates an ACTIVE alert with a deterministic id — if that id
 *       already exists (an alert of the same suppression window, or one the stream raised), the
 *       writer's {@code create} fails with 409 and nothing new is raised: that is the suppression;
 *   <li>an open alert whose key no longer fires is COMPLETED — but one the stream raised is first
 *       kept ACTIVE by the run that tells the channels about it (the search may not see its events
 *       yet);
 *   <li>ids listed for acknowledgement move from ACTIVE to ACKNOWLEDGED;
 *   <li>ids an analyst closed move from any open state to COMPLETED with {@code closedTime}; it
 *       stays closed for the rest of its suppression window — its deterministic id (rule, key,
 *       window) exists, so the writer's {@code create} is refused — and matches in a later window
 *       raise a new alert;
 *   <li>a failed run raises (or keeps) one ERROR alert, COMPLETED by the next good run.
 * </ul>
 */
public final class AlertLifecycle {
  public static final String SCHEDULED = "scheduled";

  /** Alerts to create (op_type create: may already exist) and alerts to overwrite. */
  public record Plan(List<Alert> create, List<Alert> update) {}

  private AlertLifecycle() {}

  /** What analysts asked for by alert id: acknowledge (ACTIVE only) and close (any open state). */
  public record Requests(Set<String> acknowledge, Set<String> close) {
    public static final Requests NONE = new Requests(Set.of(), Set.of());

    public Requests {
      acknowledge = Set.copyOf(acknowledge);
      close = Set.copyOf(close);
    }
  }

  public static Plan afterRun(
      AlertRule rule,
      Instant now,
      List<Trigger> triggers,
      List<Alert> open,
      Set<String> acknowledge) {
    return afterRun(rule, now, triggers, open, new Requests(acknowledge, Set.of()));
  }

  public static Plan afterRun(
      AlertRule rule, Instant now, List<Trigger> triggers, List<Alert> open, Requests requests) {
    Set<String> acknowledge = requests.acknowledge();
    String at = time(now);
    List<Alert> create = new ArrayList<>();
    List<Alert> update = new ArrayList<>();
    Set<Alert> seen = new HashSet<>();
    for (Trigger trigger : triggers) {
      Alert existing = findOpen(open, trigger.key());
      if (existing != null) {
        seen.add(existing);
        if (closeIfAsked(existing, requests.close(), at)) {
          update.add(existing);
          continue;
        }
        existing.lastSeenTime = at;
        existing.count = trigger.count();
        existing.addDocumentIds(trigger.documentIds());
        acknowledgeIfAsked(existing, acknowledge, at);
        update.add(existing);
      } else {
        create.add(newAlert(rule, trigger, at));
      }
    }
    for (Alert alert : open) {
      if (seen.contains(alert)) {
        continue;
      }
      if (alert.state == AlertState.ERROR || alert.state.isOpen()) {
        acknowledgeIfAsked(alert, acknowledge, at);
        if (!closeIfAsked(alert, requests.close(), at) && untoldFromTheStream(alert)) {
          update.add(alert); // told by this run; a later one completes it if its key is quiet
          continue;
        }
        alert.state = AlertState.COMPLETED;
        alert.endTime = at;
        update.add(alert);
      }
    }
    return new Plan(create, update);
  }

  /**
   * An ACTIVE alert the stream raised that no run has told the channels about yet. A run that does
   * not see its key fire keeps it open all the same: the stream read the events before a search can
   * (an index refreshes every few seconds to minutes), so the run is no proof the burst is over.
   */
  private static boolean untoldFromTheStream(Alert alert) {
    return alert.state == AlertState.ACTIVE
        && alert.notifiedTime == null
        && StreamDetector.STREAM.equals(alert.source);
  }

  public static Plan afterError(
      AlertRule rule, Instant now, String error, List<Alert> open, Set<String> acknowledge) {
    return afterError(rule, now, error, open, new Requests(acknowledge, Set.of()));
  }

  public static Plan afterError(
      AlertRule rule, Instant now, String error, List<Alert> open, Requests requests) {
    Set<String> acknowledge = requests.acknowledge();
    String at = time(now);
    List<Alert> update = new ArrayList<>();
    Alert failing = null;
    for (Alert alert : open) {
      if (alert.state != AlertState.ERROR && closeIfAsked(alert, requests.close(), at)) {
        update.add(alert);
      } else if (alert.state == AlertState.ERROR) {
        failing = alert;
      } else if (acknowledgeIfAsked(alert, acknowledge, at)) {
        update.add(alert);
      }
    }
    if (failing != null) {
      failing.lastSeenTime = at;
      failing.errorMessage = error;
      update.add(failing);
      return new Plan(List.of(), update);
    }
    Alert alert = base(rule, at);
    alert.id = AlertIds.error(rule, now);
    alert.state = AlertState.ERROR;
    alert.errorMessage = error;
    alert.message = rule.name() + " could not run: " + error;
    return new Plan(List.of(alert), update);
  }

  /** A new ACTIVE alert for a trigger, with its deterministic id. */
  public static Alert newAlert(AlertRule rule, Trigger trigger, String at) {
    Alert alert = base(rule, at);
    alert.id = AlertIds.of(rule, trigger.key(), trigger.firstEvent());
    alert.state = AlertState.ACTIVE;
    alert.key.putAll(new TreeMap<>(trigger.key()));
    alert.count = trigger.count();
    alert.addDocumentIds(trigger.documentIds());
    alert.message =
        AccountMention.append(
            rule.message() == null
                ? defaultMessage(rule, trigger)
                : MessageTemplate.render(
                    rule.message(), trigger.sample(), trigger.count(), rule::read),
            trigger.sample());
    return alert;
  }

  private static Alert base(AlertRule rule, String at) {
    Alert alert = new Alert();
    alert.rule.namespace = rule.namespace();
    alert.rule.name = rule.name();
    alert.severity = rule.severity();
    alert.trigger = rule.trigger();
    alert.tags.addAll(rule.tags());
    alert.threat = Alert.Threat.of(rule.mitre());
    alert.timestamp = at;
    alert.startTime = at;
    alert.lastSeenTime = at;
    alert.source = SCHEDULED;
    return alert;
  }

  private static String defaultMessage(AlertRule rule, Trigger trigger) {
    String message = rule.name() + ": " + trigger.count() + " matching event(s)";
    return trigger.key().isEmpty() ? message : message + " for " + trigger.key();
  }

  private static Alert findOpen(List<Alert> open, Map<String, String> key) {
    Map<String, String> wanted = new TreeMap<>(key);
    for (Alert alert : open) {
      if (alert.state.isOpen() && new TreeMap<>(alert.key).equals(wanted)) {
        return alert;
      }
    }
    return null;
  }

  private static boolean acknowledgeIfAsked(Alert alert, Set<String> acknowledge, String at) {
    if (alert.state == AlertState.ACTIVE && acknowledge.contains(alert.id)) {
      alert.state = AlertState.ACKNOWLEDGED;
      alert.acknowledgedTime = at;
      return true;
    }
    return false;
  }

  private static boolean closeIfAsked(Alert alert, Set<String> close, String at) {
    if (alert.state.isOpen() && close.contains(alert.id)) {
      alert.state = AlertState.COMPLETED;
      alert.closedTime = at;
      alert.endTime = at;
      return true;
    }
    return false;
  }

  static String time(Instant now) {
    return now.truncatedTo(ChronoUnit.MILLIS).toString();
  }
}
