package dev.vigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.alerts.AlertState;
import java.time.Instant;
import java.util.List;

/**
 * The {@code vigil-alerts} search for {@code vigil alerts list}'s filters, newest first. Every
 * filter is on a field the alert itself holds (no lookup in the log indices).
 *
 * @param rules {@code NAME} or {@code NAMESPACE/NAME} of DetectionRules; empty: any
 * @param severities severities 1–5; empty: any
 * @param states lifecycle states; empty: any
 * @param since alerts last seen at or after this time (still going then), or null
 * @param until alerts started at or before this time, or null
 * @param accounts AWS account ids in the alert's key ({@code cloud.account.id}); empty: any
 * @param limit at most this many alerts
 */
record AlertQuery(
    List<String> rules,
    List<Integer> severities,
    List<AlertState> states,
    Instant since,
    Instant until,
    List<String> accounts,
    int limit) {
  /** The key field that names the AWS account an alert is about (ECS). */
  static final String ACCOUNT_FIELD = "cloud.account.id";

  ObjectNode body() {
    ObjectNode body = new ObjectMapper().createObjectNode();
    body.put("size", limit);
    body.putArray("sort").addObject().put("@timestamp", "desc");
    ArrayNode filter = body.putObject("query").putObject("bool").putArray("filter");
    if (!rules.isEmpty()) {
      ArrayNode any = filter.addObject().putObject("bool").putArray("should");
      for (String rule : rules) {
        int slash = rule.indexOf('/');
        ArrayNode all = any.addObject().putObject("bool").putArray("filter");
        if (slash >= 0) {
          all.addObject().putObject("term").put("rule.namespace", rule.substring(0, slash));
        }
        all.addObject().putObject("term").put("rule.name", rule.substring(slash + 1));
      }
    }
    if (!severities.isEmpty()) {
      severities.forEach(filter.addObject().putObject("terms").putArray("severity")::add);
    }
    if (!states.isEmpty()) {
      ArrayNode values = filter.addObject().putObject("terms").putArray("state");
      states.forEach(state -> values.add(state.name()));
    }
    if (since != null) {
      filter.addObject().putObject("range").putObject("lastSeenTime").put("gte", since.toString());
    }
    if (until != null) {
      filter.addObject().putObject("range").putObject("startTime").put("lte", until.toString());
    }
    if (!accounts.isEmpty()) {
      // flat_object: a value inside "key" is queried as key.<its name>.
      accounts.forEach(filter.addObject().putObject("terms").putArray("key." + ACCOUNT_FIELD)::add);
    }
    return body;
  }
}
