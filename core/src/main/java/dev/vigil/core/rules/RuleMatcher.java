package dev.vigil.core.rules;

import com.fasterxml.jackson.core.JsonParser;
import dev.vigil.core.parse.Members;
import dev.vigil.core.rules.FieldReader.Values;
import dev.vigil.core.rules.PreparedQuery.Requirement;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The every-match rules of one log type compiled once for the stream, so that the cost per document
 * does not grow with the rules that cannot match it. Each rule is indexed by one requirement of its
 * query — a field that must hold one of a few exact values ({@code eventSource}, {@code eventName},
 * …; for an either-or query, one such set per alternative), derived conservatively from the
 * prepared query — and a document meets only the rules indexed under the values it holds, plus
 * those with no such requirement (or a query that may fail, which must run to fail as before).
 * Verdicts are {@link CompiledRule#matches}'s, rule by rule.
 */
public final class RuleMatcher {
  private final FieldReader fields = new FieldReader();
  private final PreparedQuery[] queries;
  private final PreparedQuery[] postFilters;
  // The index: per indexed field (its id), the rules under each value, by the value's constant
  // index (what the reader found it equal to while reading, by its raw bytes).
  private final int[] indexFields;
  private final int[][][] indexRules;
  // Rules indexed by literals their field's value must contain: per field, an automaton finding
  // them all in one pass (one for literals compared as they are, one for lower-cased ones).
  private final int[] substringFields;
  private final Substrings[] substrings;
  private final int literalRules;
  private final int[] unindexed;

  public RuleMatcher(List<CompiledRule> rules, FieldTypes types) {
    this(rules, types, MIN_LITERAL_RULES);
  }

  /** With a substring index on each field at least {@code minLiteralRules} rules need. */
  RuleMatcher(List<CompiledRule> rules, FieldTypes types, int minLiteralRules) {
    queries = new PreparedQuery[rules.size()];
    postFilters = new PreparedQuery[rules.size()];
    List<List<Requirement>> options = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      CompiledRule rule = rules.get(i);
      queries[i] = PreparedQuery.prepare(rule.query(), types, fields);
      postFilters[i] =
          rule.postFilter() == null
              ? null
              : PreparedQuery.prepare(rule.postFilter(), types, fields);
      boolean mayFail =
          queries[i].canThrow() || (postFilters[i] != null && postFilters[i].canThrow());
      List<Requirement> any = new ArrayList<>(queries[i].requirements());
      if (postFilters[i] != null) {
        any.addAll(postFilters[i].requirements());
      }
      options.add(mayFail ? List.of() : any);
    }
    Map<Integer, Set<String>> distinct = new HashMap<>();
    options.forEach(
        list ->
            list.forEach(
                r ->
                    r.anyOf()
                        .forEach(
                            (field, values) ->
                                distinct
                                    .computeIfAbsent(field, f -> new HashSet<>())
                                    .addAll(values))));
    List<Integer> always = new ArrayList<>();
    int literalIndexed = 0;
    Map<Integer, Map<String, List<Integer>>> building = new HashMap<>();
    Map<List<Integer>, Map<String, List<Integer>>> literals = new java.util.TreeMap<>(BY_PAIR);
    for (int i = 0; i < rules.size(); i++) {
      Requirement best = mostSelective(options.get(i), distinct);
      if (best == null) {
        always.add(i);
        continue;
      }
      int rule = i;
      best.anyOf()
          .forEach(
              (field, values) -> {
                for (String value : values) {
                  building
                      .computeIfAbsent(field, f -> new HashMap<>())
                      .computeIfAbsent(value, v -> new ArrayList<>())
                      .add(rule);
                }
              });
      if (!best.literals().isEmpty()) {
        literalIndexed++;
      }
      for (PreparedQuery.Literal literal : best.literals()) {
        literals
            .computeIfAbsent(
                List.of(literal.field(), literal.lowered() ? 1 : 0), k -> new HashMap<>())
            .computeIfAbsent(literal.text(), t -> new ArrayList<>())
            .add(rule);
      }
    }
    // A pass over a field's values pays only for many rules: a few run on every document instead
    // (their tests look for the literal first anyway).
    Set<Integer> few = new HashSet<>();
    literals
        .values()
        .removeIf(
            byText -> {
              Set<Integer> needing = new HashSet<>();
              byText.values().forEach(needing::addAll);
              if (needing.size() >= minLiteralRules) {
                return false;
              }
              few.addAll(needing);
              return true;
            });
    for (int rule : few) {
      if (!always.contains(rule)) {
        always.add(rule);
        literalIndexed--;
      }
    }
    always.sort(null);
    literalRules = literalIndexed;
    substringFields = new int[literals.size()];
    substrings = new Substrings[literals.size()];
    int k = 0;
    for (Map.Entry<List<Integer>, Map<String, List<Integer>>> e : literals.entrySet()) {
      Map<String, int[]> byLiteral = new HashMap<>();
      e.getValue()
          .forEach(
              (t, list) -> byLiteral.put(t, list.stream().mapToInt(Integer::intValue).toArray()));
      substringFields[k] = e.getKey().get(0);
      substrings[k++] = new Substrings(byLiteral, e.getKey().get(1) == 1);
    }
    indexFields = building.keySet().stream().mapToInt(Integer::intValue).toArray();
    indexRules = new int[indexFields.length][][];
    for (int i = 0; i < indexFields.length; i++) {
      int[][] byCode = new int[fields.constantCount()][];
      building
          .get(indexFields[i])
          .forEach(
              (v, list) ->
                  byCode[fields.constantIndex(v)] =
                      list.stream().mapToInt(Integer::intValue).toArray());
      indexRules[i] = byCode;
    }
    unindexed = always.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The fewest rules worth a substring index on a field. */
  static final int MIN_LITERAL_RULES = 8;

  private static final java.util.Comparator<List<Integer>> BY_PAIR =
      java.util.Comparator.<List<Integer>>comparingInt(p -> p.get(0))
          .thenComparingInt(p -> p.get(1));

  /**
   * The requirement that leaves the fewest candidates: few values on a field whose rules name many
   * distinct values (eventName rather than eventSource); a literal to contain counts as a whole
   * field's worth, so exact values are preferred.
   */
  private static Requirement mostSelective(
      List<Requirement> options, Map<Integer, Set<String>> distinct) {
    Requirement best = null;
    double bestScore = Double.MAX_VALUE;
    for (Requirement r : options) {
      double score = 0;
      for (Map.Entry<Integer, Set<String>> e : r.anyOf().entrySet()) {
        score += (double) e.getValue().size() / distinct.get(e.getKey()).size();
      }
      score += r.literals().size();
      if (score < bestScore) {
        best = r;
        bestScore = score;
      }
    }
    return best;
  }

  public int size() {
    return queries.length;
  }

  /** How many rules run on every document (no exact-value or literal requirement found). */
  public int unindexed() {
    return unindexed.length;
  }

  /** The paths of every field the rules read. */
  public List<String> fieldPaths() {
    return java.util.stream.IntStream.range(0, fields.size())
        .mapToObj(fields::path)
        .distinct()
        .toList();
  }

  /** How many rules are indexed by literals their values must contain. */
  public int substringIndexed() {
    return literalRules;
  }

  /** The field paths rules are indexed by literals their values must contain. */
  public List<String> substringFields() {
    return Arrays.stream(substringFields).sorted().distinct().mapToObj(fields::path).toList();
  }

  /** The field paths rules are indexed by. */
  public List<String> indexedFields() {
    return Arrays.stream(indexFields).sorted().mapToObj(fields::path).toList();
  }

  /** Reads the values the rules need from the JSON document {@code source[0, length)}. */
  public Values read(byte[] source, int length) throws IOException {
    return fields.read(source, length);
  }

  /**
   * Reads the values the rules need from the JSON document {@code source[0, length)} whose
   * top-level members start where {@code members} says (null: unknown), each only when first used.
   * Noted members' values are valid until the thread's next such read (the instance is reused).
   */
  public Values read(byte[] source, int length, Members members) throws IOException {
    return fields.read(source, length, members);
  }

  /**
   * Registers a field read as an alert key reads it (the scalar at the path, none under an array):
   * its id for {@link Values#of}. Call before the first document is read.
   */
  public int keyField(String path) {
    return fields.scalarId(path);
  }

  /** The top-level names rules read under: {@link Members} noted for them make reads lazy. */
  public String[] memberNames() {
    return fields.memberNames();
  }

  /** Reads the values the rules need from the document the parser stands before. */
  public Values read(JsonParser document) throws IOException {
    return fields.read(document);
  }

  /** The rules the document may match (every rule it does match is among them). */
  public BitSet candidates(Values doc) {
    return BitSet.valueOf(candidateWords(doc, new long[words()]));
  }

  private int words() {
    return (queries.length + 63) >>> 6;
  }

  /** The candidates as bits of {@code out} (all clear), which it returns. */
  private long[] candidateWords(Values doc, long[] out) {
    for (int rule : unindexed) {
      out[rule >>> 6] |= 1L << rule;
    }
    for (int i = 0; i < indexFields.length; i++) {
      int[][] byCode = indexRules[i];
      for (int v = doc.first(indexFields[i]); v != 0; v = doc.next(v)) {
        int code = doc.code(v);
        int[] rules = code < 0 ? null : byCode[code];
        if (rules != null) {
          for (int rule : rules) {
            out[rule >>> 6] |= 1L << rule;
          }
        }
      }
    }
    for (int i = 0; i < substringFields.length; i++) {
      for (int v = doc.first(substringFields[i]); v != 0; v = doc.next(v)) {
        substrings[i].find(doc.text(v), out);
      }
    }
    return out;
  }

  /** Whether rule {@code rule} (its position in the list given) matches. */
  public boolean matches(int rule, Values doc) {
    return queries[rule].test(doc) && (postFilters[rule] == null || postFilters[rule].test(doc));
  }

  /** The rules the document matches, in the order given. */
  public List<Integer> matching(Values doc) {
    int[] out = new int[queries.length];
    int count = matching(doc, out);
    List<Integer> list = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      list.add(out[i]);
    }
    return list;
  }

  /**
   * As {@link #matching(Values)}, into {@code out[0, n)} (it holds at least {@link #size()}), n
   * returned: what the stream uses, so that a document costs no list.
   */
  public int matching(Values doc, int[] out) {
    int count = 0;
    long[] candidates = candidateWords(doc, doc.scratch(words()));
    for (int w = 0; w < candidates.length; w++) {
      for (long bits = candidates[w]; bits != 0; bits &= bits - 1) {
        int rule = (w << 6) + Long.numberOfTrailingZeros(bits);
        if (matches(rule, doc)) {
          out[count++] = rule;
        }
      }
    }
    return count;
  }
}
