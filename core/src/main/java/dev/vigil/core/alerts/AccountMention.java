package dev.vigil.core.alerts;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Alert messages name the account by its AWS Organizations name ({@code cloud.account.name}, see
 * {@code AccountDirectory}) where the matching event has one and the message does not already say
 * it: {@code "… (account payments-prod)"}.
 */
public final class AccountMention {
  static final String FIELD = "cloud.account.name";

  /** The Alerting plugin's form: the newest hit's account name, only where it has one. */
  static final String MONITOR_SUFFIX =
      "{{#ctx.results.0.hits.hits.0._source."
          + FIELD
          + "}} (account {{ctx.results.0.hits.hits.0._source."
          + FIELD
          + "}}){{/ctx.results.0.hits.hits.0._source."
          + FIELD
          + "}}";

  private AccountMention() {}

  /** {@code message}, with the account's name added when {@code event} has one it lacks. */
  public static String append(String message, JsonNode event) {
    String name = event == null ? null : DocumentFields.text(event, FIELD);
    return name == null || name.isEmpty() || message.contains(name)
        ? message
        : message + " (account " + name + ")";
  }
}
