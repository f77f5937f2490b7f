package dev.vigil.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Field-to-field comparisons (Sigma's {@code fieldref}) that an OpenSearch query cannot express
 * without scripts, and Vigil's test node has no script language. A rule holding one is split in
 * two: the <em>native</em> query OpenSearch runs, in which each comparison is replaced so that it
 * matches a superset of the documents; and the exact query, kept as the rule's post-filter, that
 * the executor runs with {@link QueryEvaluator} over each hit's {@code _source}.
 *
 * <p>The comparison is written {@code {"vigil_field_equals": {"field": "a", "other_field": "b"}}}
 * and is allowed anywhere inside {@code bool} clauses: under an even number of {@code must_not} it
 * becomes {@code match_all} in the native query (a wider match), under an odd number {@code
 * match_none} (a narrower exclusion, so again a wider match).
 */
public final class PostFilter {
  public static final String FIELD_EQUALS = "vigil_field_equals";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * @param nativeQuery what OpenSearch runs (matches every document the exact query matches)
   * @param postFilter the exact query to run on each hit, or null when OpenSearch's answer is exact
   */
  public record Split(ObjectNode nativeQuery, ObjectNode postFilter) {}

  private PostFilter() {}

  /** {@code field} and {@code otherField} of one document hold the same value. */
  public static ObjectNode fieldEquals(String field, String otherField) {
    ObjectNode q = NODES.objectNode();
    q.putObject(FIELD_EQUALS).put("field", field).put("other_field", otherField);
    return q;
  }

  /** Splits {@code exact} into the query OpenSearch runs and the post-filter, if one is needed. */
  public static Split split(ObjectNode exact) {
    if (!mentions(exact)) {
      return new Split(exact, null);
    }
    return new Split(widen(exact, true), exact.deepCopy());
  }

  private static boolean mentions(JsonNode node) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals(FIELD_EQUALS) || mentions(e.getValue())) {
          return true;
        }
      }
    } else if (node.isArray()) {
      for (JsonNode n : node) {
        if (mentions(n)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The query with every comparison replaced: match_all where it must hold ({@code positive}),
   * match_none where it must not.
   */
  private static ObjectNode widen(JsonNode query, boolean positive) {
    if (!mentions(query)) {
      return (ObjectNode) query.deepCopy();
    }
    String type = query.fieldNames().next();
    if (query.size() == 1 && type.equals(FIELD_EQUALS)) {
      ObjectNode q = NODES.objectNode();
      q.putObject(positive ? "match_all" : "match_none");
      return q;
    }
    if (query.size() != 1 || !type.equals("bool")) {
      throw new RuleException(
          FIELD_EQUALS + " is supported inside bool clauses only, not inside '" + type + "'");
    }
    JsonNode bool = query.get("bool");
    ObjectNode out = NODES.objectNode();
    ObjectNode outBool = out.putObject("bool");
    Iterator<Map.Entry<String, JsonNode>> it = bool.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String clause = e.getKey();
      if (!List.of("must", "filter", "should", "must_not").contains(clause)) {
        outBool.set(clause, e.getValue().deepCopy());
        continue;
      }
      boolean clausePositive = clause.equals("must_not") ? !positive : positive;
      ArrayNode items = outBool.putArray(clause);
      for (JsonNode item : e.getValue().isArray() ? e.getValue() : List.of(e.getValue())) {
        ObjectNode widened = widen(item, clausePositive);
        // Drop what no longer constrains: match_all in and-clauses, match_none in must_not.
        boolean neutral =
            (clause.equals("must_not") ? widened.has("match_none") : widened.has("match_all"))
                && !clause.equals("should");
        if (!neutral) {
          items.add(widened);
        }
      }
      if (items.isEmpty()) {
        outBool.remove(clause);
      }
    }
    if (outBool.isEmpty()) {
      return matchAll();
    }
    // bool {filter: [q]} alone is just q.
    for (String only : List.of("filter", "must")) {
      if (outBool.size() == 1 && outBool.has(only) && outBool.get(only).size() == 1) {
        return (ObjectNode) outBool.get(only).get(0);
      }
    }
    return out;
  }

  private static ObjectNode matchAll() {
    ObjectNode q = NODES.objectNode();
    q.putObject("match_all");
    return q;
  }
}
