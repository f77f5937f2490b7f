package dev.vigil.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.rules.FieldTypes.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of Lucene query_string syntax Vigil rules may use, parsed so the compiler can reject
 * what it cannot promise and the in-memory evaluator can run it: {@code field:value}, {@code
 * field:"a phrase"}, {@code field:val*ue?}, {@code field:/regex/}, {@code field:(a OR b)}, {@code
 * field:[a TO b]}, {@code field:>5}, {@code _exists_:field}, {@code AND OR NOT - +} and
 * parentheses. Every term names its field (no default field) and operators are explicit (no
 * implicit OR between terms), since both make rules mean something other than they read.
 */
public final class LuceneQuery {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String SPECIAL = "()[]{}:\"^~/";

  /** A parsed query: a tree of and/or/not over field clauses. */
  public sealed interface Node permits And, Or, Not, Clause {}

  record And(List<Node> items) implements Node {}

  record Or(List<Node> items) implements Node {}

  record Not(Node item) implements Node {}

  /** kind: term, phrase, wildcard, regexp, range, exists. */
  record Clause(
      String field,
      String kind,
      String value,
      String low,
      String high,
      boolean lowIn,
      boolean highIn)
      implements Node {}

  private final String text;
  private int pos;
  private final Node root;

  private LuceneQuery(String text) {
    this.text = text;
    this.root = parseOr(null);
    skipSpace();
    if (pos < text.length()) {
      throw error("unexpected '" + text.charAt(pos) + "'");
    }
  }

  public static LuceneQuery parse(String text) {
    if (text == null || text.isBlank()) {
      throw new RuleException("query: the query is empty");
    }
    return new LuceneQuery(text);
  }

  public Node root() {
    return root;
  }

  /** The same query as OpenSearch DSL over fields of the given types (for the evaluator). */
  public ObjectNode toDsl(FieldTypes types) {
    return dsl(root, types);
  }

  private RuleException error(String message) {
    return new RuleException("query: " + message + " at column " + (pos + 1) + " of: " + text);
  }

  private Node parseOr(String field) {
    List<Node> items = new ArrayList<>();
    items.add(parseAnd(field));
    while (keyword("OR") || symbol("||")) {
      items.add(parseAnd(field));
    }
    return items.size() == 1 ? items.get(0) : new Or(items);
  }

  private Node parseAnd(String field) {
    List<Node> items = new ArrayList<>();
    items.add(parseUnary(field));
    while (true) {
      if (keyword("AND") || symbol("&&")) {
        items.add(parseUnary(field));
        continue;
      }
      skipSpace();
      if (pos < text.length() && text.charAt(pos) != ')' && !peekKeyword("OR") && !peek("||")) {
        throw error(
            "two terms without an operator between them (write AND or OR explicitly: implicit"
                + " operators depend on default_operator)");
      }
      break;
    }
    return items.size() == 1 ? items.get(0) : new And(items);
  }

  private Node parseUnary(String field) {
    if (keyword("NOT") || symbol("-") || symbol("!")) {
      return new Not(parseUnary(field));
    }
    symbol("+");
    return parsePrimary(field);
  }

  private Node parsePrimary(String field) {
    skipSpace();
    if (pos >= text.length()) {
      throw error("the query ends where a term was expected");
    }
    if (symbol("(")) {
      Node inner = parseOr(field);
      if (!symbol(")")) {
        throw error("missing ')'");
      }
      return inner;
    }
    if (field == null) {
      int start = pos;
      String name = readTerm();
      skipSpace();
      if (pos >= text.length() || text.charAt(pos) != ':') {
        pos = start;
        throw error(
            "'" + name + "' has no field: name the field (field:value), there is no default field");
      }
      pos++;
      String f = unescape(name);
      if (f.contains("*") || f.contains("?")) {
        throw error("wildcard field names (" + f + ") are not supported");
      }
      if (f.equals("_exists_")) {
        skipSpace();
        return new Clause(unescape(readTerm()), "exists", null, null, null, false, false);
      }
      skipSpace();
      if (symbol("(")) {
        Node inner = parseOr(f);
        if (!symbol(")")) {
          throw error("missing ')'");
        }
        return inner;
      }
      return parseValue(f);
    }
    return parseValue(field);
  }

  private Node parseValue(String field) {
    skipSpace();
    if (pos >= text.length()) {
      throw error("a value is missing for " + field);
    }
    char c = text.charAt(pos);
    if (c == '"') {
      int end = pos + 1;
      StringBuilder sb = new StringBuilder();
      while (end < text.length() && text.charAt(end) != '"') {
        if (text.charAt(end) == '\\' && end + 1 < text.length()) {
          end++;
        }
        sb.append(text.charAt(end++));
      }
      if (end >= text.length()) {
        throw error("unterminated phrase");
      }
      pos = end + 1;
      rejectSuffix();
      return new Clause(field, "phrase", sb.toString(), null, null, false, false);
    }
    if (c == '/') {
      int end = text.indexOf('/', pos + 1);
      while (end > 0 && text.charAt(end - 1) == '\\') {
        end = text.indexOf('/', end + 1);
      }
      if (end < 0) {
        throw error("unterminated regular expression");
      }
      String regex = text.substring(pos + 1, end);
      String reason = Regexps.unsupported(regex);
      if (reason != null) {
        throw error("regular expression uses " + reason);
      }
      pos = end + 1;
      return new Clause(field, "regexp", regex, null, null, false, false);
    }
    if (c == '[' || c == '{') {
      pos++;
      skipSpace();
      String low = unescape(readTerm());
      if (!keyword("TO")) {
        throw error("a range needs TO");
      }
      skipSpace();
      String high = unescape(readTerm());
      skipSpace();
      char close = pos < text.length() ? text.charAt(pos) : 0;
      if (close != ']' && close != '}') {
        throw error("missing ']' or '}' closing the range");
      }
      pos++;
      return new Clause(
          field,
          "range",
          null,
          low.equals("*") ? null : low,
          high.equals("*") ? null : high,
          c == '[',
          close == ']');
    }
    if (c == '>' || c == '<') {
      pos++;
      boolean inclusive = symbol("=");
      String bound = unescape(readTerm());
      return c == '>'
          ? new Clause(field, "range", null, bound, null, inclusive, false)
          : new Clause(field, "range", null, null, bound, false, inclusive);
    }
    String raw = readTerm();
    if (raw.isEmpty()) {
      throw error("a value is missing for " + field);
    }
    rejectSuffix();
    if (hasUnescapedWildcard(raw)) {
      return new Clause(field, "wildcard", raw, null, null, false, false);
    }
    return new Clause(field, "term", unescape(raw), null, null, false, false);
  }

  private void rejectSuffix() {
    if (pos < text.length() && (text.charAt(pos) == '~' || text.charAt(pos) == '^')) {
      throw error(
          "fuzzy, proximity and boost suffixes ('" + text.charAt(pos) + "') are not supported");
    }
  }

  private String readTerm() {
    int start = pos;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '\\' && pos + 1 < text.length()) {
        pos += 2;
        continue;
      }
      if (Character.isWhitespace(c) || SPECIAL.indexOf(c) >= 0) {
        break;
      }
      pos++;
    }
    return text.substring(start, pos);
  }

  private static boolean hasUnescapedWildcard(String raw) {
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '*' || c == '?') {
        return true;
      }
    }
    return false;
  }

  static String unescape(String raw) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\' && i + 1 < raw.length()) {
        c = raw.charAt(++i);
      }
      sb.append(c);
    }
    return sb.toString();
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private boolean symbol(String s) {
    skipSpace();
    if (text.startsWith(s, pos)) {
      pos += s.length();
      return true;
    }
    return false;
  }

  private boolean peek(String s) {
    skipSpace();
    return text.startsWith(s, pos);
  }

  private boolean peekKeyword(String k) {
    skipSpace();
    int end = pos + k.length();
    return text.startsWith(k, pos)
        && (end == text.length()
            || Character.isWhitespace(text.charAt(end))
            || text.charAt(end) == '(');
  }

  private boolean keyword(String k) {
    if (peekKeyword(k)) {
      pos += k.length();
      return true;
    }
    return false;
  }

  private static ObjectNode dsl(Node node, FieldTypes types) {
    ObjectNode out = NODES.objectNode();
    if (node instanceof And and) {
      ArrayNode filter = out.putObject("bool").putArray("filter");
      and.items().forEach(i -> filter.add(dsl(i, types)));
    } else if (node instanceof Or or) {
      ArrayNode should = out.putObject("bool").putArray("should");
      or.items().forEach(i -> should.add(dsl(i, types)));
    } else if (node instanceof Not not) {
      out.putObject("bool").putArray("must_not").add(dsl(not.item(), types));
    } else {
      Clause c = (Clause) node;
      boolean text = types.type(c.field()).kind() == Kind.TEXT;
      switch (c.kind()) {
        case "exists" -> out.putObject("exists").put("field", c.field());
        case "term" -> {
          if (text) {
            out.putObject("match").put(c.field(), c.value());
          } else {
            out.putObject("term").put(c.field(), c.value());
          }
        }
        case "phrase" -> out.putObject(text ? "match_phrase" : "term").put(c.field(), c.value());
        case "wildcard" -> out.putObject("wildcard").putObject(c.field()).put("value", c.value());
        case "regexp" -> out.putObject("regexp").putObject(c.field()).put("value", c.value());
        default -> {
          ObjectNode range = out.putObject("range").putObject(c.field());
          if (c.low() != null) {
            range.put(c.lowIn() ? "gte" : "gt", c.low());
          }
          if (c.high() != null) {
            range.put(c.highIn() ? "lte" : "lt", c.high());
          }
        }
      }
    }
    return out;
  }

  static JsonNode node(String s) {
    return NODES.textNode(s);
  }
}
