package dev.vigil.core.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a rule's {@code message}: {@code {{field}}} is the field of the first matching event
 * (empty when it has none), {@code {{count}}} the number of matches.
 */
public final class MessageTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^}\\s]+)\\s*}}");

  private MessageTemplate() {}

  public static String render(String template, JsonNode firstEvent, long count) {
    return render(template, firstEvent, count, java.util.function.UnaryOperator.identity());
  }

  /**
   * As {@link #render(String, JsonNode, long)}, {@code read} naming the source field that holds a
   * placeholder's field ({@link AlertRule#read}: a field alias's target).
   */
  public static String render(
      String template,
      JsonNode firstEvent,
      long count,
      java.util.function.UnaryOperator<String> read) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String field = m.group(1);
      String value =
          field.equals("count")
              ? Long.toString(count)
              : DocumentFields.text(firstEvent, read.apply(field));
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
