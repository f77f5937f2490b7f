package dev.vigil.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.geo.IpLiterals;
import dev.vigil.core.rules.FieldTypes.FieldType;
import dev.vigil.core.rules.FieldTypes.Kind;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs an OpenSearch query over one normalized document (a JSON tree) the way OpenSearch would run
 * it over Vigil's mappings. Supported: bool, match_all, match_none, term, terms, prefix, wildcard,
 * regexp, exists, range, match, match_phrase and query_string (the subset {@link LuceneQuery}
 * parses). Anything else — or a construct whose OpenSearch result the evaluator cannot reproduce
 * (exists on a flat_object sub-path, date math) — throws {@link RuleException} naming it, rather
 * than answering differently from the cluster.
 *
 * <p>It also runs Vigil's one query type OpenSearch does not have, {@code vigil_field_equals} (two
 * fields of one document hold the same value; see {@link PostFilter}), which a compiled rule only
 * carries in its post-filter, never in the query sent to OpenSearch.
 */
public final class QueryEvaluator {
  private static final Pattern TOKEN =
      Pattern.compile("[\\p{L}\\p{N}_]+(?:['.:][\\p{L}\\p{N}_]+)*");

  private final FieldTypes types;
  private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();
  private final Map<String, JsonNode> parsedQueries = new ConcurrentHashMap<>();

  public QueryEvaluator(FieldTypes types) {
    this.types = types;
  }

  /** Whether {@code document} matches {@code query}. */
  public boolean matches(JsonNode query, JsonNode document) {
    if (query == null || !query.isObject() || query.size() != 1) {
      throw new RuleException("a query must be an object with exactly one query type: " + query);
    }
    Map.Entry<String, JsonNode> e = query.fields().next();
    JsonNode body = e.getValue();
    return switch (e.getKey()) {
      case "match_all" -> true;
      case "match_none" -> false;
      case "bool" -> bool(body, document);
      case "term" -> fieldQuery(body, document, "term");
      case "terms" -> terms(body, document);
      case "prefix" -> fieldQuery(body, document, "prefix");
      case "wildcard" -> fieldQuery(body, document, "wildcard");
      case "regexp" -> fieldQuery(body, document, "regexp");
      case "match" -> fieldQuery(body, document, "match");
      case "match_phrase" -> fieldQuery(body, document, "match_phrase");
      case "exists" -> exists(body.path("field").asText(), document);
      case "range" -> range(body, document);
      case "query_string" -> matches(queryString(body), document);
      case PostFilter.FIELD_EQUALS -> fieldEquals(body, document);
      default ->
          throw new RuleException(
              "the in-memory evaluator does not support the '" + e.getKey() + "' query");
    };
  }

  /** Any value of {@code field} equals any value of {@code other_field} (Sigma's fieldref). */
  private boolean fieldEquals(JsonNode body, JsonNode doc) {
    String field = body.path("field").asText("");
    String other = body.path("other_field").asText("");
    if (field.isEmpty() || other.isEmpty()) {
      throw new RuleException(
          PostFilter.FIELD_EQUALS + " needs 'field' and 'other_field': " + body);
    }
    List<String> left = comparable(field, doc);
    List<String> right = comparable(other, doc);
    return left.stream().anyMatch(right::contains);
  }

  /** The values of a field as the exact strings a comparison sees (numbers canonicalized). */
  private List<String> comparable(String field, JsonNode doc) {
    FieldType type = types.type(field);
    if (type.kind() == Kind.TEXT || type.kind() == Kind.FLAT_OBJECT) {
      throw new RuleException(
          PostFilter.FIELD_EQUALS
              + " compares exact values; "
              + field
              + " is "
              + (type.kind() == Kind.TEXT ? "analyzed text" : "a whole flat_object field"));
    }
    List<String> out = new ArrayList<>();
    for (JsonNode leaf : leaves(doc, types.resolve(field), type)) {
      BigDecimal n = type.kind() == Kind.NUMBER ? numberOrNull(leaf) : null;
      out.add(n != null ? n.stripTrailingZeros().toPlainString() : leaf.asText());
    }
    return out;
  }

  private JsonNode queryString(JsonNode body) {
    String text = body.path("query").asText();
    return parsedQueries.computeIfAbsent(text, t -> LuceneQuery.parse(t).toDsl(types));
  }

  private boolean bool(JsonNode body, JsonNode doc) {
    for (String clause : List.of("must", "filter")) {
      for (JsonNode q : list(body.get(clause))) {
        if (!matches(q, doc)) {
          return false;
        }
      }
    }
    for (JsonNode q : list(body.get("must_not"))) {
      if (matches(q, doc)) {
        return false;
      }
    }
    List<JsonNode> should = list(body.get("should"));
    if (should.isEmpty()) {
      return true;
    }
    boolean scoring = body.has("must") || body.has("filter");
    int minimum = body.has("minimum_should_match") ? body.get("minimum_should_match").asInt() : -1;
    if (minimum < 0) {
      minimum = scoring ? 0 : 1;
    }
    int hits = 0;
    for (JsonNode q : should) {
      if (matches(q, doc)) {
        hits++;
      }
    }
    return hits >= minimum;
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

  private boolean terms(JsonNode body, JsonNode doc) {
    Iterator<Map.Entry<String, JsonNode>> it = body.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("boost")) {
        continue;
      }
      for (JsonNode v : e.getValue()) {
        if (valueQuery("term", e.getKey(), v.asText(), false, doc)) {
          return true;
        }
      }
      return false;
    }
    throw new RuleException("terms query without a field: " + body);
  }

  private boolean fieldQuery(JsonNode body, JsonNode doc, String kind) {
    FieldQuery q = FieldQuery.of(body, kind);
    return valueQuery(kind, q.field(), q.value(), q.caseInsensitive(), doc);
  }

  /**
   * The field, value and case flag of a term, match, prefix, wildcard or regexp query, read the
   * same way by this evaluator and by {@link PreparedQuery}.
   */
  record FieldQuery(String field, String value, boolean caseInsensitive) {
    static FieldQuery of(JsonNode body, String kind) {
      if (body.size() != 1) {
        throw new RuleException(kind + " query must name exactly one field: " + body);
      }
      Map.Entry<String, JsonNode> e = body.fields().next();
      JsonNode spec = e.getValue();
      if (!spec.isObject()) {
        return new FieldQuery(e.getKey(), spec.asText(), false);
      }
      String key = kind.startsWith("match") ? "query" : "value";
      if (kind.equals("wildcard") && spec.has("wildcard")) {
        key = "wildcard";
      }
      // "rewrite" only changes how OpenSearch scores, not what matches.
      for (String option : List.of("operator", "fuzziness", "slop", "analyzer")) {
        if (spec.has(option)) {
          throw new RuleException(
              "the in-memory evaluator does not support '" + option + "' in " + kind);
        }
      }
      return new FieldQuery(
          e.getKey(), spec.path(key).asText(), spec.path("case_insensitive").asBoolean(false));
    }
  }

  /** The refusal of a value query on a field type the evaluators cannot compare values of. */
  static RuleException unsupportedFieldType(String kind, String field, FieldType type) {
    return new RuleException(
        "the in-memory evaluator does not support a "
            + kind
            + " query on "
            + field
            + " ("
            + type.kind().name().toLowerCase(Locale.ROOT)
            + " field)");
  }

  private boolean valueQuery(
      String kind, String field, String value, boolean caseInsensitive, JsonNode doc) {
    FieldType type = types.type(field);
    List<JsonNode> leaves = leaves(doc, types.resolve(field), type);
    switch (type.kind()) {
      case TEXT -> {
        return textQuery(kind, field, value, caseInsensitive, leaves);
      }
      case NUMBER -> {
        requireKind(kind, field, "term", "match");
        BigDecimal wanted = number(value, field);
        return leaves.stream()
            .anyMatch(l -> numberOrNull(l) != null && numberOrNull(l).compareTo(wanted) == 0);
      }
      case BOOLEAN -> {
        requireKind(kind, field, "term", "match");
        String wanted = value.toLowerCase(Locale.ROOT);
        return leaves.stream().anyMatch(l -> l.asText().equals(wanted));
      }
      case IP -> {
        requireKind(kind, field, "term", "match");
        return leaves.stream().anyMatch(l -> Cidr.contains(value, l.asText()));
      }
      case DATE, OBJECT, OTHER -> throw unsupportedFieldType(kind, field, type);
      default -> {
        // keyword and flat_object: exact strings, case-sensitive unless asked otherwise.
        for (JsonNode leaf : leaves) {
          String text = leaf.asText();
          if (text.length() > type.ignoreAbove()) {
            continue;
          }
          if (stringMatches(kind, field, value, text, caseInsensitive)) {
            return true;
          }
        }
        return false;
      }
    }
  }

  private static void requireKind(String kind, String field, String... allowed) {
    if (!List.of(allowed).contains(kind)) {
      throw new RuleException(
          "the in-memory evaluator does not support a " + kind + " query on " + field);
    }
  }

  private boolean stringMatches(
      String kind, String field, String value, String text, boolean caseInsensitive) {
    String v = caseInsensitive ? value.toLowerCase(Locale.ROOT) : value;
    String t = caseInsensitive ? text.toLowerCase(Locale.ROOT) : text;
    return switch (kind) {
      case "term", "match", "match_phrase" -> t.equals(v);
      case "prefix" -> t.startsWith(v);
      case "wildcard" -> wildcard(v).matcher(t).matches();
      case "regexp" -> regexp(v, field).matcher(t).matches();
      default -> throw new RuleException("unsupported query " + kind);
    };
  }

  private boolean textQuery(
      String kind, String field, String value, boolean caseInsensitive, List<JsonNode> leaves) {
    for (JsonNode leaf : leaves) {
      List<String> tokens = tokens(leaf.asText());
      boolean hit =
          switch (kind) {
            case "match_phrase" -> containsPhrase(tokens, tokens(value));
            case "match" -> tokens(value).stream().anyMatch(tokens::contains);
            case "term" ->
                tokens.contains(caseInsensitive ? value.toLowerCase(Locale.ROOT) : value);
            case "prefix", "wildcard", "regexp" ->
                tokens.stream()
                    .anyMatch(t -> stringMatches(kind, field, value, t, caseInsensitive));
            default -> throw new RuleException("unsupported query " + kind);
          };
      if (hit) {
        return true;
      }
    }
    return false;
  }

  /** An approximation of the standard analyzer: Unicode words, lowercased. */
  static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      out.add(m.group().toLowerCase(Locale.ROOT));
    }
    return out;
  }

  static boolean containsPhrase(List<String> tokens, List<String> phrase) {
    if (phrase.isEmpty()) {
      return false;
    }
    for (int i = 0; i + phrase.size() <= tokens.size(); i++) {
      if (tokens.subList(i, i + phrase.size()).equals(phrase)) {
        return true;
      }
    }
    return false;
  }

  private boolean exists(String field, JsonNode doc) {
    FieldType type = types.type(field);
    if (type.kind() == Kind.FLAT_SUBPATH) {
      throw new RuleException(
          "exists on "
              + field
              + " (a path inside the flat_object field "
              + type.flatRoot()
              + ") returns nothing in OpenSearch 2.19; use a prefix query with an empty value");
    }
    for (JsonNode leaf : leaves(doc, types.resolve(field), type)) {
      if (type.kind() == Kind.KEYWORD && leaf.asText().length() > type.ignoreAbove()) {
        continue;
      }
      return true;
    }
    return false;
  }

  private boolean range(JsonNode body, JsonNode doc) {
    Map.Entry<String, JsonNode> e = body.fields().next();
    String field = e.getKey();
    JsonNode bounds = e.getValue();
    FieldType type = types.type(field);
    for (String op : List.of("gt", "gte", "lt", "lte")) {
      if (bounds.path(op).asText("").startsWith("now")) {
        throw new RuleException(
            "the in-memory evaluator does not run date math ("
                + bounds.get(op).asText()
                + ") on "
                + field);
      }
    }
    for (JsonNode leaf : leaves(doc, types.resolve(field), type)) {
      boolean ok = true;
      for (String op : List.of("gt", "gte", "lt", "lte")) {
        if (!bounds.has(op) || bounds.get(op).isNull()) {
          continue;
        }
        int c = compare(type, field, leaf, bounds.get(op).asText());
        ok &=
            switch (op) {
              case "gt" -> c > 0;
              case "gte" -> c >= 0;
              case "lt" -> c < 0;
              default -> c <= 0;
            };
      }
      if (ok) {
        return true;
      }
    }
    return false;
  }

  private int compare(FieldType type, String field, JsonNode leaf, String bound) {
    switch (type.kind()) {
      case NUMBER -> {
        BigDecimal v = numberOrNull(leaf);
        return v == null ? Integer.MIN_VALUE : v.compareTo(number(bound, field));
      }
      case DATE -> {
        if (bound.startsWith("now")) {
          throw new RuleException(
              "the in-memory evaluator does not run date math (" + bound + ") on " + field);
        }
        return instant(leaf.asText(), field).compareTo(instant(bound, field));
      }
      case KEYWORD, FLAT_SUBPATH -> {
        return leaf.asText().compareTo(bound);
      }
      default ->
          throw new RuleException("the in-memory evaluator does not support a range on " + field);
    }
  }

  static Instant instant(String text, String field) {
    try {
      if (text.matches("-?[0-9]+")) {
        return Instant.ofEpochMilli(Long.parseLong(text));
      }
      return OffsetDateTime.parse(text).toInstant();
    } catch (RuntimeException e) {
      throw new RuleException("'" + text + "' is not a date the evaluator reads, on " + field);
    }
  }

  static BigDecimal number(String text, String field) {
    try {
      return new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw new RuleException("'" + text + "' is not a number, but " + field + " is numeric");
    }
  }

  private static BigDecimal numberOrNull(JsonNode leaf) {
    return numberOrNull(leaf.asText());
  }

  static BigDecimal numberOrNull(String text) {
    try {
      return new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Lucene wildcard (* and ?, backslash escapes) as a Java pattern over the whole value. */
  Pattern wildcard(String glob) {
    return patterns.computeIfAbsent("w:" + glob, g -> wildcardPattern(glob));
  }

  static Pattern wildcardPattern(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '\\' && i + 1 < glob.length()) {
        re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
      } else if (c == '*') {
        re.append(".*");
      } else if (c == '?') {
        re.append('.');
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }

  /** A Lucene regular expression, limited to the syntax Lucene and Java read the same way. */
  Pattern regexp(String regex, String field) {
    return patterns.computeIfAbsent("r:" + regex, r -> Regexps.toJava(regex, field));
  }

  /**
   * Scalar values at a dotted path. Arrays are flattened, keys may themselves contain dots, and a
   * flat_object field itself yields every leaf below it.
   */
  static List<JsonNode> leaves(JsonNode doc, String path, FieldType type) {
    List<JsonNode> found = new ArrayList<>();
    collect(doc, path, found);
    List<JsonNode> out = new ArrayList<>();
    boolean flatRoot = type.kind() == Kind.FLAT_OBJECT;
    for (JsonNode node : found) {
      addLeaves(node, out, flatRoot || type.kind() == Kind.FLAT_SUBPATH);
    }
    return out;
  }

  private static void addLeaves(JsonNode node, List<JsonNode> out, boolean descend) {
    if (node.isArray()) {
      node.forEach(n -> addLeaves(n, out, descend));
    } else if (node.isObject()) {
      if (descend) {
        node.forEach(n -> addLeaves(n, out, true));
      }
    } else if (!node.isNull()) {
      out.add(node);
    }
  }

  private static void collect(JsonNode node, String path, List<JsonNode> out) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return;
    }
    if (node.isArray()) {
      node.forEach(n -> collect(n, path, out));
      return;
    }
    if (!node.isObject()) {
      return;
    }
    JsonNode direct = node.get(path);
    if (direct != null) {
      out.add(direct);
    }
    int dot = path.indexOf('.');
    while (dot > 0) {
      JsonNode child = node.get(path.substring(0, dot));
      if (child != null) {
        collect(child, path.substring(dot + 1), out);
      }
      dot = path.indexOf('.', dot + 1);
    }
  }

  /** CIDR and address matching for ip fields. */
  static final class Cidr {
    private Cidr() {}

    /**
     * Whether {@code address} lies in {@code spec} (an address or CIDR). Only literals count: a
     * document value that is a host name is no address to OpenSearch (and resolving it would ask
     * DNS for every such value).
     */
    static boolean contains(String spec, String address) {
      try {
        int slash = spec.indexOf('/');
        InetAddress value = IpLiterals.parse(address);
        InetAddress network = IpLiterals.parse(slash < 0 ? spec : spec.substring(0, slash));
        if (value == null || network == null) {
          return false;
        }
        byte[] addr = value.getAddress();
        byte[] net = network.getAddress();
        if (addr.length != net.length) {
          return false;
        }
        int bits = slash < 0 ? addr.length * 8 : Integer.parseInt(spec.substring(slash + 1));
        for (int i = 0; i < bits; i++) {
          int mask = 0x80 >> (i % 8);
          if ((addr[i / 8] & mask) != (net[i / 8] & mask)) {
            return false;
          }
        }
        return true;
      } catch (RuntimeException e) {
        return false;
      }
    }
  }
}
