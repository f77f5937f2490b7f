package dev.vigil.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.rules.FieldReader.Values;
import dev.vigil.core.rules.FieldTypes.FieldType;
import dev.vigil.core.rules.FieldTypes.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A query prepared once for the stream: the same verdicts as {@link QueryEvaluator} (its reference
 * semantics, clause by clause, including where it throws), but over the field values {@link
 * FieldReader} reads, with field mappings looked up, values parsed and patterns compiled up front.
 * A construct the evaluator refuses becomes a node that throws the same error when reached, so
 * short-circuiting decides as before whether a document meets it.
 */
public abstract class PreparedQuery {
  /**
   * For the query to match, some field of {@code anyOf} must hold one of its values, or some value
   * must contain one of the {@code literals}: what lets a matcher skip the query for documents
   * meeting neither.
   */
  public record Requirement(Map<Integer, Set<String>> anyOf, List<Literal> literals) {
    static Requirement of(int field, Set<String> values) {
      return new Requirement(Map.of(field, values), List.of());
    }

    /** How many values and literals a document is looked up by. */
    public int size() {
      return anyOf.values().stream().mapToInt(Set::size).sum() + literals.size();
    }

    /** For choosing among requirements: exact values before literals, then the fewest. */
    int weight() {
      return literals.size() * 1_000_000 + size();
    }
  }

  /**
   * A value of {@code field} contains {@code text} (lower-cased with {@code Locale.ROOT} first when
   * {@code lowered}).
   */
  public record Literal(int field, String text, boolean lowered) {}

  /** Whether the document whose values these are matches. */
  public abstract boolean test(Values doc);

  /** Whether {@link #test} can throw for some document (such a query must always be run). */
  public boolean canThrow() {
    return false;
  }

  /** Requirements each matching document meets (any one may index the query; none: always run). */
  public List<Requirement> requirements() {
    return List.of();
  }

  /** Prepares {@code query} for documents of the mapping {@code types}, reading {@code fields}. */
  public static PreparedQuery prepare(JsonNode query, FieldTypes types, FieldReader fields) {
    return new Preparer(types, fields).node(query);
  }

  private static final class Preparer {
    private final FieldTypes types;
    private final FieldReader fields;

    Preparer(FieldTypes types, FieldReader fields) {
      this.types = types;
      this.fields = fields;
    }

    PreparedQuery node(JsonNode query) {
      try {
        return prepare(query);
      } catch (RuntimeException e) {
        return new Fails(e);
      }
    }

    private PreparedQuery prepare(JsonNode query) {
      if (query == null || !query.isObject() || query.size() != 1) {
        throw new RuleException("a query must be an object with exactly one query type: " + query);
      }
      Map.Entry<String, JsonNode> e = query.fields().next();
      JsonNode body = e.getValue();
      return switch (e.getKey()) {
        case "match_all" -> new Constant(true);
        case "match_none" -> new Constant(false);
        case "bool" -> bool(body);
        case "term", "prefix", "wildcard", "regexp", "match", "match_phrase" ->
            fieldQuery(body, e.getKey());
        case "terms" -> terms(body);
        case "exists" -> exists(body.path("field").asText());
        case "range" -> range(body);
        case "query_string" -> node(LuceneQuery.parse(body.path("query").asText()).toDsl(types));
        case PostFilter.FIELD_EQUALS -> fieldEquals(body);
        default ->
            throw new RuleException(
                "the in-memory evaluator does not support the '" + e.getKey() + "' query");
      };
    }

    private PreparedQuery bool(JsonNode body) {
      List<PreparedQuery> all = new ArrayList<>();
      for (String clause : List.of("must", "filter")) {
        list(body.get(clause)).forEach(q -> all.add(node(q)));
      }
      List<PreparedQuery> none = new ArrayList<>();
      list(body.get("must_not")).forEach(q -> none.add(node(q)));
      List<PreparedQuery> some = new ArrayList<>();
      list(body.get("should")).forEach(q -> some.add(node(q)));
      boolean scoring = body.has("must") || body.has("filter");
      int minimum =
          body.has("minimum_should_match") ? body.get("minimum_should_match").asInt() : -1;
      if (minimum < 0) {
        minimum = scoring ? 0 : 1;
      }
      return new Bool(all, none, some, minimum);
    }

    private static List<JsonNode> list(JsonNode clause) {
      List<JsonNode> out = new ArrayList<>();
      if (clause == null) {
        return out;
      }
      if (clause.isArray()) {
        clause.forEach(out::add);
      } else {
        out.add(clause);
      }
      return out;
    }

    private PreparedQuery terms(JsonNode body) {
      Iterator<Map.Entry<String, JsonNode>> it = body.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals("boost")) {
          continue;
        }
        String field = e.getKey();
        FieldType type = types.type(field);
        List<String> values = new ArrayList<>();
        e.getValue().forEach(v -> values.add(v.asText()));
        if (isExact(type)) {
          return exact(field, type, type.ignoreAbove(), new LinkedHashSet<>(values));
        }
        List<PreparedQuery> each = new ArrayList<>();
        values.forEach(v -> each.add(guarded(() -> value("term", field, v, false))));
        return new AnyOf(each);
      }
      throw new RuleException("terms query without a field: " + body);
    }

    private PreparedQuery guarded(java.util.function.Supplier<PreparedQuery> make) {
      try {
        return make.get();
      } catch (RuntimeException e) {
        return new Fails(e);
      }
    }

    private PreparedQuery fieldQuery(JsonNode body, String kind) {
      QueryEvaluator.FieldQuery q = QueryEvaluator.FieldQuery.of(body, kind);
      return value(kind, q.field(), q.value(), q.caseInsensitive());
    }

    private PreparedQuery value(String kind, String field, String value, boolean ci) {
      FieldType type = types.type(field);
      switch (type.kind()) {
        case TEXT -> {
          return new TextMatch(id(field, type), kind, field, value, ci);
        }
        case NUMBER -> {
          requireKind(kind, field);
          return new NumberEquals(id(field, type), QueryEvaluator.number(value, field));
        }
        case BOOLEAN -> {
          requireKind(kind, field);
          return exact(field, type, Integer.MAX_VALUE, Set.of(value.toLowerCase(Locale.ROOT)));
        }
        case IP -> {
          requireKind(kind, field);
          return new IpMatch(id(field, type), value);
        }
        case DATE, OBJECT, OTHER -> throw QueryEvaluator.unsupportedFieldType(kind, field, type);
        default -> {
          boolean equality = kind.equals("term") || kind.startsWith("match");
          if (equality && !ci) {
            return exact(field, type, type.ignoreAbove(), Set.of(value));
          }
          return new StringMatch(
              id(field, type), type.ignoreAbove(), StringTest.of(kind, field, value, ci));
        }
      }
    }

    private static void requireKind(String kind, String field) {
      if (!kind.equals("term") && !kind.equals("match")) {
        throw new RuleException(
            "the in-memory evaluator does not support a " + kind + " query on " + field);
      }
    }

    private PreparedQuery exists(String field) {
      FieldType type = types.type(field);
      if (type.kind() == Kind.FLAT_SUBPATH) {
        throw new RuleException(
            "exists on "
                + field
                + " (a path inside the flat_object field "
                + type.flatRoot()
                + ") returns nothing in OpenSearch 2.19; use a prefix query with an empty value");
      }
      int limit = type.kind() == Kind.KEYWORD ? type.ignoreAbove() : Integer.MAX_VALUE;
      return new Exists(id(field, type), limit);
    }

    private PreparedQuery range(JsonNode body) {
      Map.Entry<String, JsonNode> e = body.fields().next();
      String field = e.getKey();
      JsonNode bounds = e.getValue();
      FieldType type = types.type(field);
      for (String op : Range.OPS) {
        if (bounds.path(op).asText("").startsWith("now")) {
          throw new RuleException(
              "the in-memory evaluator does not run date math ("
                  + bounds.get(op).asText()
                  + ") on "
                  + field);
        }
      }
      List<Range.Bound> list = new ArrayList<>();
      for (String op : Range.OPS) {
        if (bounds.has(op) && !bounds.get(op).isNull()) {
          list.add(Range.Bound.of(op, bounds.get(op).asText(), type, field));
        }
      }
      return new Range(id(field, type), field, type.kind(), list);
    }

    private PreparedQuery fieldEquals(JsonNode body) {
      String field = body.path("field").asText("");
      String other = body.path("other_field").asText("");
      if (field.isEmpty() || other.isEmpty()) {
        throw new RuleException(
            PostFilter.FIELD_EQUALS + " needs 'field' and 'other_field': " + body);
      }
      return new FieldEquals(comparable(field), comparable(other));
    }

    private FieldEquals.Side comparable(String field) {
      FieldType type = types.type(field);
      if (type.kind() == Kind.TEXT || type.kind() == Kind.FLAT_OBJECT) {
        throw new RuleException(
            PostFilter.FIELD_EQUALS
                + " compares exact values; "
                + field
                + " is "
                + (type.kind() == Kind.TEXT ? "analyzed text" : "a whole flat_object field"));
      }
      return new FieldEquals.Side(id(field, type), type.kind() == Kind.NUMBER);
    }

    private int id(String field, FieldType type) {
      return fields.id(types.resolve(field), descends(type));
    }

    /** A test for exact values: the reader gives it the constants' own instances. */
    private ExactSet exact(String field, FieldType type, int ignoreAbove, Set<String> values) {
      Set<String> constants = fields.constants(values);
      // A value equal to a constant has its length: one longer than ignore_above never matches.
      int[] codes =
          constants.stream()
              .filter(v -> v.length() <= ignoreAbove)
              .mapToInt(fields::constantIndex)
              .sorted()
              .toArray();
      return new ExactSet(fields.exactId(types.resolve(field), descends(type)), constants, codes);
    }

    private static boolean descends(FieldType type) {
      return type.kind() == Kind.FLAT_OBJECT || type.kind() == Kind.FLAT_SUBPATH;
    }

    /** Whether a term compares the field's leaves as exact strings (keyword, flat_object). */
    private static boolean isExact(FieldType type) {
      return type.kind() == Kind.KEYWORD
          || type.kind() == Kind.FLAT_OBJECT
          || type.kind() == Kind.FLAT_SUBPATH;
    }
  }

  /** A construct the reference evaluator refuses: throws its error whenever reached. */
  static final class Fails extends PreparedQuery {
    private final RuntimeException error;

    Fails(RuntimeException error) {
      this.error = error;
    }

    @Override
    public boolean test(Values doc) {
      throw error;
    }

    @Override
    public boolean canThrow() {
      return true;
    }
  }

  static final class Constant extends PreparedQuery {
    private final boolean value;

    Constant(boolean value) {
      this.value = value;
    }

    @Override
    public boolean test(Values doc) {
      return value;
    }
  }

  /** bool: every must/filter, no must_not, and at least {@code minimum} should clauses. */
  static final class Bool extends PreparedQuery {
    private final PreparedQuery[] all;
    private final PreparedQuery[] none;
    private final PreparedQuery[] some;
    private final int minimum;
    private final boolean someCanThrow;

    Bool(List<PreparedQuery> all, List<PreparedQuery> none, List<PreparedQuery> some, int minimum) {
      this.all = all.toArray(PreparedQuery[]::new);
      this.none = none.toArray(PreparedQuery[]::new);
      this.some = some.toArray(PreparedQuery[]::new);
      this.minimum = minimum;
      this.someCanThrow = some.stream().anyMatch(PreparedQuery::canThrow);
    }

    @Override
    public boolean test(Values doc) {
      for (PreparedQuery q : all) {
        if (!q.test(doc)) {
          return false;
        }
      }
      for (PreparedQuery q : none) {
        if (q.test(doc)) {
          return false;
        }
      }
      if (some.length == 0) {
        return true;
      }
      // The reference counts every should clause; stopping early is only the same when none of
      // the remaining ones could throw.
      int hits = 0;
      for (int i = 0; i < some.length; i++) {
        if (!someCanThrow && (hits >= minimum || hits + some.length - i < minimum)) {
          break;
        }
        if (some[i].test(doc)) {
          hits++;
        }
      }
      return hits >= minimum;
    }

    @Override
    public boolean canThrow() {
      return someCanThrow
          || List.of(all).stream().anyMatch(PreparedQuery::canThrow)
          || List.of(none).stream().anyMatch(PreparedQuery::canThrow);
    }

    @Override
    public List<Requirement> requirements() {
      List<Requirement> out = new ArrayList<>();
      for (PreparedQuery q : all) {
        out.addAll(q.requirements());
      }
      if (minimum >= 1) {
        out.addAll(eitherOf(some));
      }
      return out;
    }
  }

  /**
   * What holds when one of the alternatives matches: the union of each one's narrowest requirement,
   * field by field (none if some alternative has none).
   */
  static List<Requirement> eitherOf(PreparedQuery[] alternatives) {
    if (alternatives.length == 0) {
      return List.of();
    }
    Map<Integer, Set<String>> union = new HashMap<>();
    List<Literal> literals = new ArrayList<>();
    for (PreparedQuery q : alternatives) {
      Requirement narrowest = null;
      for (Requirement r : q.requirements()) {
        if (narrowest == null || r.weight() < narrowest.weight()) {
          narrowest = r;
        }
      }
      if (narrowest == null) {
        return List.of();
      }
      narrowest.anyOf().forEach((f, v) -> union.computeIfAbsent(f, k -> new HashSet<>()).addAll(v));
      literals.addAll(narrowest.literals());
    }
    Map<Integer, Set<String>> frozen = new HashMap<>();
    union.forEach((f, v) -> frozen.put(f, Set.copyOf(v)));
    return List.of(new Requirement(Map.copyOf(frozen), List.copyOf(literals)));
  }

  /** terms on a field that is not exact: the reference tries each value in turn. */
  static final class AnyOf extends PreparedQuery {
    private final PreparedQuery[] each;

    AnyOf(List<PreparedQuery> each) {
      this.each = each.toArray(PreparedQuery[]::new);
    }

    @Override
    public boolean test(Values doc) {
      for (PreparedQuery q : each) {
        if (q.test(doc)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public boolean canThrow() {
      return List.of(each).stream().anyMatch(PreparedQuery::canThrow);
    }

    @Override
    public List<Requirement> requirements() {
      return eitherOf(each);
    }
  }

  /**
   * A leaf equal to one of a set of exact strings (term/terms/match on keyword, boolean), decided
   * by the index of the constant the reader found each value equal to ({@link Values#code}).
   */
  static final class ExactSet extends PreparedQuery {
    private final int field;
    private final Set<String> values;
    private final int[] codes; // sorted: the values' constant indexes, within ignore_above

    ExactSet(int field, Set<String> values, int[] codes) {
      this.field = field;
      this.values = Set.copyOf(values);
      this.codes = codes;
    }

    @Override
    public boolean test(Values doc) {
      for (int v = doc.first(field); v != 0; v = doc.next(v)) {
        int code = doc.code(v);
        if (code >= 0 && holds(code)) {
          return true;
        }
      }
      return false;
    }

    private boolean holds(int code) {
      if (codes.length > 8) {
        return java.util.Arrays.binarySearch(codes, code) >= 0;
      }
      for (int c : codes) {
        if (c == code) {
          return true;
        }
      }
      return false;
    }

    @Override
    public List<Requirement> requirements() {
      return List.of(Requirement.of(field, values));
    }
  }

  /** prefix/wildcard/regexp or a case-insensitive term on an exact (keyword) field. */
  static final class StringMatch extends PreparedQuery {
    private final int field;
    private final int ignoreAbove;
    private final StringTest test;

    StringMatch(int field, int ignoreAbove, StringTest test) {
      this.field = field;
      this.ignoreAbove = ignoreAbove;
      this.test = test;
    }

    @Override
    public boolean test(Values doc) {
      for (int v = doc.first(field); v != 0; v = doc.next(v)) {
        String text = doc.text(v);
        if (text.length() <= ignoreAbove && test.matches(text)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public boolean canThrow() {
      return test.canThrow();
    }

    @Override
    public List<Requirement> requirements() {
      String literal = test.literal();
      if (literal == null) {
        return List.of();
      }
      return List.of(
          new Requirement(Map.of(), List.of(new Literal(field, literal, test.lowers()))));
    }
  }

  /** A query on an analyzed text field, over the tokens of each value. */
  static final class TextMatch extends PreparedQuery {
    private final int field;
    private final String kind;
    private final List<String> valueTokens;
    private final String term;
    private final StringTest tokenTest;

    TextMatch(int field, String kind, String name, String value, boolean ci) {
      this.field = field;
      this.kind = kind;
      this.valueTokens = QueryEvaluator.tokens(value);
      this.term = ci ? value.toLowerCase(Locale.ROOT) : value;
      this.tokenTest =
          switch (kind) {
            case "prefix", "wildcard", "regexp" -> StringTest.of(kind, name, value, ci);
            case "match", "match_phrase", "term" -> null;
            default -> throw new RuleException("unsupported query " + kind);
          };
    }

    @Override
    public boolean test(Values doc) {
      for (int v = doc.first(field); v != 0; v = doc.next(v)) {
        String text = doc.text(v);
        List<String> tokens = QueryEvaluator.tokens(text);
        boolean hit =
            switch (kind) {
              case "match_phrase" -> QueryEvaluator.containsPhrase(tokens, valueTokens);
              case "match" -> valueTokens.stream().anyMatch(tokens::contains);
              case "term" -> tokens.contains(term);
              default -> tokens.stream().anyMatch(tokenTest::matches);
            };
        if (hit) {
          return true;
        }
      }
      return false;
    }

    @Override
    public boolean canThrow() {
      return tokenTest != null && tokenTest.canThrow();
    }
  }

  static final class NumberEquals extends PreparedQuery {
    private final int field;
    private final java.math.BigDecimal wanted;

    NumberEquals(int field, java.math.BigDecimal wanted) {
      this.field = field;
      this.wanted = wanted;
    }

    @Override
    public boolean test(Values doc) {
      for (int v = doc.first(field); v != 0; v = doc.next(v)) {
        String text = doc.text(v);
        java.math.BigDecimal n = QueryEvaluator.numberOrNull(text);
        if (n != null && n.compareTo(wanted) == 0) {
          return true;
        }
      }
      return false;
    }
  }

  static final class IpMatch extends PreparedQuery {
    private final int field;
    private final String spec;

    IpMatch(int field, String spec) {
      this.field = field;
      this.spec = spec;
    }

    @Override
    public boolean test(Values doc) {
      for (int v = doc.first(field); v != 0; v = doc.next(v)) {
        String text = doc.text(v);
        if (QueryEvaluator.Cidr.contains(spec, text)) {
          return true;
        }
      }
      return false;
    }
  }

  static final class Exists extends PreparedQuery {
    private final int field;
    private final int ignoreAbove;

    Exists(int field, int ignoreAbove) {
      this.field = field;
      this.ignoreAbove = ignoreAbove;
    }

    @Override
    public boolean test(Values doc) {
      for (int v = doc.first(field); v != 0; v = doc.next(v)) {
        String text = doc.text(v);
        if (text.length() <= ignoreAbove) {
          return true;
        }
      }
      return false;
    }
  }
}
