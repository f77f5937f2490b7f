package dev.vigil.core.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.rules.CompiledRule;
import dev.vigil.core.rules.FirstSeenCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One built-in engine run of a first-seen rule ({@code spec.firstSeen}): pages the composite
 * aggregation of {@link CompiledRule#firstSeenBody} over {@code [now - window - history, now]} and
 * keeps each key whose earliest match lies in {@code [now - window, now]}, as {@link
 * FirstSeenCondition#newKeys} decides in memory. Bounded: at most {@value #MAX_PAGES} pages of
 * {@value CompiledRule#MAX_GROUPS} keys are read and at most {@link
 * FirstSeenCondition#MAX_NEW_PER_RUN} new keys reported; a run that stops early says so in {@link
 * Result#note}.
 */
public final class FirstSeenSearch {
  /** Pages read per run: 50,000 distinct keys over history and window. */
  public static final int MAX_PAGES = 50;

  private FirstSeenSearch() {}

  /**
   * @param triggers one per new key (its count: its matches in the window; a sample hit)
   * @param note why the run did not read every key or report every new one, or null
   */
  public record Result(List<Trigger> triggers, String note) {}

  /** One search: {@code POST <indexPattern>/_search} with a body, its response. */
  @FunctionalInterface
  public interface Search<E extends Exception> {
    JsonNode post(ObjectNode body) throws E;
  }

  /** The search of one page, with absolute times so every page reads the same span. */
  public static ObjectNode page(CompiledRule rule, Instant now, JsonNode after) {
    return page(rule, now, rule.window(), after);
  }

  private static ObjectNode page(CompiledRule rule, Instant now, Duration window, JsonNode after) {
    Instant from = now.minus(window).minus(rule.firstSeen().history());
    ObjectNode body = rule.firstSeenBody(from.toString(), now.toString());
    ObjectNode groups = (ObjectNode) body.path("aggs").path(CompiledRule.GROUPS);
    if (after != null && !after.isMissingNode() && !after.isNull()) {
      ((ObjectNode) groups.path("composite")).set("after", after.deepCopy());
    }
    ObjectNode top = ((ObjectNode) groups.path("aggs")).putObject(EngineSearch.LATEST);
    top.putObject("top_hits").put("size", 1);
    ((ObjectNode) top.path("top_hits"))
        .putArray("sort")
        .addObject()
        .putObject(CompiledRule.TIMESTAMP)
        .put("order", "desc");
    return body;
  }

  /**
   * Runs the rule at {@code now}, {@code search} answering one page body (the response of {@code
   * POST <indexPattern>/_search}).
   */
  public static <E extends Exception> Result run(CompiledRule rule, Instant now, Search<E> search)
      throws E {
    return run(rule, now, Duration.ZERO, search);
  }

  /**
   * As {@link #run(CompiledRule, Instant, Search)}, the window reaching {@code lateArrival} further
   * back: an event indexed minutes after it happened (CloudTrail delivers within about 15 minutes)
   * is still in the window of a later run, where a window of one interval would already count it as
   * history and never report it. A key stays new for the runs its first match is in the wider
   * window; they update its one open alert.
   */
  public static <E extends Exception> Result run(
      CompiledRule rule, Instant now, Duration lateArrival, Search<E> search) throws E {
    FirstSeenCondition first = rule.firstSeen();
    Duration window = rule.window().plus(lateArrival);
    Instant windowStart = now.minus(window);
    List<Trigger> out = new ArrayList<>();
    JsonNode after = null;
    for (int page = 0; page < MAX_PAGES; page++) {
      JsonNode groups =
          search
              .post(page(rule, now, window, after))
              .path("aggregations")
              .path(CompiledRule.GROUPS);
      for (JsonNode bucket : groups.path("buckets")) {
        JsonNode min = bucket.path(CompiledRule.FIRST).path("value");
        if (!min.isNumber() || Instant.ofEpochMilli(min.asLong()).isBefore(windowStart)) {
          continue;
        }
        if (out.size() == FirstSeenCondition.MAX_NEW_PER_RUN) {
          return new Result(
              out,
              "more than "
                  + FirstSeenCondition.MAX_NEW_PER_RUN
                  + " new values in one run: reported the first "
                  + FirstSeenCondition.MAX_NEW_PER_RUN
                  + " (in key order); narrow the query or the fields");
        }
        out.add(trigger(first, bucket, min.asLong()));
      }
      after = groups.path("after_key");
      if (after.isMissingNode() || groups.path("buckets").size() < CompiledRule.MAX_GROUPS) {
        return new Result(out, null);
      }
    }
    return new Result(
        out,
        "read the first "
            + MAX_PAGES * CompiledRule.MAX_GROUPS
            + " values of "
            + String.join(", ", first.fields())
            + " over history and window; values after them were not checked: narrow the"
            + " query or shorten firstSeen.history");
  }

  private static Trigger trigger(FirstSeenCondition first, JsonNode bucket, long min) {
    Map<String, String> key = new LinkedHashMap<>();
    for (String field : first.fields()) {
      key.put(field, bucket.path("key").path(field).asText(""));
    }
    List<String> ids = new ArrayList<>();
    JsonNode sample = null;
    for (JsonNode hit : bucket.path(EngineSearch.LATEST).path("hits").path("hits")) {
      ids.add(hit.path("_id").asText());
      sample = sample == null ? hit.path("_source") : sample;
    }
    return new Trigger(
        key, bucket.path("doc_count").asLong(), Instant.ofEpochMilli(min), ids, sample);
  }
}
