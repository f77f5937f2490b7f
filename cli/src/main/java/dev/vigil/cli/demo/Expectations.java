package dev.vigil.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the demo waits for, as a list of what has not happened yet: every LogSource Ready, its logs
 * uploaded and all their documents searchable; with a detection engine in the operator, an alert
 * from every demo rule (and, with notification channels too, its delivery to the demo's webhook).
 */
final class Expectations {
  private final List<String> logSources;
  private final List<String> rules;
  private final boolean webhook;

  Expectations(List<String> logSources, List<String> rules, boolean webhook) {
    this.logSources = logSources;
    this.rules = rules;
    this.webhook = webhook;
  }

  List<String> pending(
      Map<String, ResourceStatusFeed.Ready> statuses,
      Uploads uploads,
      Map<String, Long> documents,
      List<JsonNode> alerts,
      WebhookReceiver receiver) {
    List<String> pending = new ArrayList<>();
    for (String name : logSources) {
      ResourceStatusFeed.Ready ready = statuses.get("LogSource/" + name);
      if (ready == null || !ready.isTrue()) {
        pending.add(
            "LogSource/"
                + name
                + " Ready"
                + (ready == null || ready.status() == null
                    ? " (no status yet)"
                    : " (" + ready.reason() + ": " + ready.message() + ")"));
      }
    }
    if (uploads.uploadedSources() < logSources.size()) {
      pending.add(
          "demo logs uploaded for every LogSource ("
              + uploads.uploadedSources()
              + "/"
              + logSources.size()
              + "; a LogSource's notifications must be Ready first)");
    }
    uploads
        .expectedByType()
        .forEach(
            (type, expected) -> {
              long seen = documents.getOrDefault(type, 0L);
              if (seen < expected) {
                pending.add(type + ": " + seen + "/" + expected + " documents searchable");
              }
            });
    for (String rule : rules) {
      if (alerts.stream().noneMatch(a -> a.toString().contains("\"" + rule + "\""))) {
        pending.add("an alert from DetectionRule/" + rule);
      }
    }
    if (webhook) {
      Set<String> delivered = receiver.deliveredRules();
      for (String rule : rules) {
        if (!delivered.contains(rule)) {
          pending.add("the webhook's delivery of an alert from DetectionRule/" + rule);
        }
      }
    }
    return pending;
  }
}
