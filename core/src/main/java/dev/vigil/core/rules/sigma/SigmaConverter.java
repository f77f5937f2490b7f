package dev.vigil.core.rules.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.LogType;
import dev.vigil.core.rules.Attribution;
import dev.vigil.core.rules.FieldTypes;
import dev.vigil.core.rules.FieldTypes.Kind;
import dev.vigil.core.rules.PostFilter;
import dev.vigil.core.rules.Regexps;
import dev.vigil.core.rules.RuleException;
import dev.vigil.core.rules.RuleSource;
import dev.vigil.core.rules.YamlTree;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts a Sigma rule to an OpenSearch query (bool/term/prefix/wildcard/regexp/range/exists DSL,
 * never a query_string, so no Lucene escaping can go wrong). Anything it cannot convert exactly
 * fails with the construct and its YAML line.
 *
 * <p>Semantics, stated once: values match case-sensitively (exact keyword terms; CloudTrail writes
 * its values in fixed case); on analyzed text fields (CloudTrail {@code errorMessage}) a plain
 * value or {@code contains} matches as a phrase of words; {@code contains} on a flat_object field
 * itself ({@code requestParameters|contains}) matches inside any of its leaf values. {@code
 * fieldref} becomes a {@code vigil_field_equals} comparison, which the compiler moves to the rule's
 * post-filter ({@link PostFilter}): OpenSearch cannot compare two fields without scripts.
 */
public final class SigmaConverter {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String LICENSE = "Detection Rule License (DRL) 1.1";
  private static final Set<String> KNOWN_MODIFIERS =
      Set.of(
          "contains",
          "startswith",
          "endswith",
          "all",
          "re",
          "i",
          "cidr",
          "exists",
          "windash",
          "base64",
          "base64offset",
          "gt",
          "gte",
          "lt",
          "lte",
          "cased",
          "fieldref",
          "ignorecase",
          "s",
          "dotall",
          "wide",
          "utf16le",
          "utf16be",
          "utf16",
          "neq",
          "expand",
          "m",
          "multiline");

  /**
   * Modifiers of the Sigma specification that OpenSearch's query DSL cannot express, with why: a
   * date's minute, hour, day, week, month or year is only computed by a script or a runtime field,
   * and Vigil's rules use neither (no script language on the node; the stream matcher runs the
   * query itself).
   */
  private static final Set<String> TIME_PARTS =
      Set.of("minute", "hour", "day", "week", "month", "year");

  /** Where a rule gives the values of its {@code expand} placeholders (see docs/detections.md). */
  public static final String PLACEHOLDERS = "vigil-placeholders";

  /**
   * OpenSearch's default limit on the clauses of one query (indices.query.bool.max_clause_count).
   */
  static final int MAX_CLAUSES = 1024;

  private final boolean rawFields;

  /**
   * @param rawFields true: any logsource, field names as written, no Vigil field types (for {@code
   *     --index})
   */
  public SigmaConverter(boolean rawFields) {
    this.rawFields = rawFields;
  }

  public SigmaRule convert(String yaml) {
    YamlTree tree = YamlTree.parse(yaml);
    return new Conversion(tree).run();
  }

  private final class Conversion {
    private final YamlTree tree;
    private final JsonNode root;
    private FieldTypes types = FieldTypes.unknown();
    private LogType logType;

    Conversion(YamlTree tree) {
      this.tree = tree;
      this.root = tree.root();
    }

    private RuleException fail(String pointer, String message) {
      return new RuleException(message, tree.line(pointer));
    }

    SigmaRule run() {
      if (!root.isObject()) {
        throw fail("", "a Sigma rule is a YAML mapping");
      }
      String title = root.path("title").asText(null);
      if (title == null) {
        throw fail("", "the Sigma rule has no title");
      }
      logsource();
      JsonNode detection = root.get("detection");
      if (detection == null || !detection.isObject()) {
        throw fail("/detection", "the Sigma rule has no detection mapping");
      }
      Map<String, JsonNode> selections = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = detection.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getKey().equals("condition") && !e.getKey().equals("timeframe")) {
          selections.put(e.getKey(), e.getValue());
        }
      }
      JsonNode conditionNode = detection.get("condition");
      if (conditionNode == null) {
        throw fail("/detection", "detection has no condition");
      }
      String condition = condition(conditionNode);
      String timeframe = detection.path("timeframe").asText(null);
      RuleSource.Threshold threshold = null;
      int pipe = condition.indexOf('|');
      String cpointer = "/detection/condition";
      if (pipe >= 0) {
        threshold = aggregation(condition.substring(pipe + 1).trim(), timeframe, cpointer);
        condition = condition.substring(0, pipe).trim();
      } else if (timeframe != null) {
        throw fail(
            "/detection/timeframe",
            "timeframe without count() correlates several events ('"
                + condition
                + "'); event correlation is not supported");
      }
      ObjectNode query = new ConditionParser(condition, selections, this, cpointer).parse();
      if (threshold != null && PostFilter.split(query).postFilter() != null) {
        throw fail(
            cpointer,
            "count() with fieldref is not supported: the field comparison runs after OpenSearch"
                + " on each hit, so OpenSearch cannot count the matches");
      }
      List<String> refs = new ArrayList<>();
      root.path("references").forEach(r -> refs.add(r.asText()));
      List<String> tags = new ArrayList<>();
      root.path("tags").forEach(t -> tags.add(t.asText()));
      Attribution attribution =
          new Attribution(title, root.path("id").asText(null), author(), refs, LICENSE);
      return new SigmaRule(
          query,
          logType,
          threshold,
          attribution,
          root.path("level").asText(null),
          tags,
          root.path("description").asText(null));
    }

    /**
     * The condition text; a list of conditions means any of them (Sigma ORs them), so it becomes
     * one condition with 'or'. An aggregation ({@code | count()}) applies to one condition only.
     */
    private String condition(JsonNode node) {
      if (!node.isArray()) {
        return node.asText();
      }
      if (node.isEmpty()) {
        throw fail("/detection/condition", "the list of conditions is empty");
      }
      if (node.size() == 1) {
        return node.get(0).asText();
      }
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < node.size(); i++) {
        String c = node.get(i).asText();
        if (c.contains("|")) {
          throw fail(
              "/detection/condition/" + i,
              "an aggregation ('" + c + "') in a list of several conditions is not supported");
        }
        parts.add("(" + c + ")");
      }
      return String.join(" or ", parts);
    }

    private String author() {
      JsonNode a = root.get("author");
      if (a == null) {
        return null;
      }
      if (a.isArray()) {
        List<String> names = new ArrayList<>();
        a.forEach(n -> names.add(n.asText()));
        return String.join(", ", names);
      }
      return a.asText();
    }

    private void logsource() {
      JsonNode ls = root.path("logsource");
      if (rawFields) {
        return;
      }
      String product = ls.path("product").asText("");
      String service = ls.path("service").asText("");
      String category = ls.path("category").asText("");
      logType =
          SigmaLogsources.of(product, service, category)
              .orElseThrow(
                  () ->
                      fail(
                          "/logsource",
                          "logsource product '"
                              + product
                              + "' service '"
                              + service
                              + "' category '"
                              + category
                              + "' is not a Vigil log type (see docs/detections.md, Sigma"
                              + " logsources); use --index to convert it against your own index"
                              + " with its field names as written"));
      types = FieldTypes.of(logType);
    }

    private RuleSource.Threshold aggregation(String text, String timeframe, String pointer) {
      Matcher m =
          Pattern.compile("count\\(\\s*\\)\\s*(?:by\\s+([A-Za-z0-9_.@-]+)\\s*)?(>=|>)\\s*([0-9]+)")
              .matcher(text);
      if (!m.matches()) {
        String construct = text.startsWith("near") ? "near" : text;
        throw fail(
            pointer,
            "the aggregation '"
                + construct
                + "' is not supported (supported: count() [by field] > N or >= N)");
      }
      if (timeframe == null) {
        throw fail(pointer, "count() needs a timeframe");
      }
      int n = Integer.parseInt(m.group(3));
      int threshold = m.group(2).equals(">=") ? n - 1 : n;
      List<String> by = m.group(1) == null ? List.of() : List.of(mapField(m.group(1), false));
      if (!by.isEmpty()) {
        Kind kind = types.type(by.get(0)).kind();
        if (kind == Kind.FLAT_SUBPATH || kind == Kind.FLAT_OBJECT || kind == Kind.TEXT) {
          throw fail(
              pointer, "count() by " + by.get(0) + ": OpenSearch cannot aggregate that field");
        }
      }
      try {
        dev.vigil.core.rules.Durations.parse(timeframe, "timeframe");
      } catch (RuleException e) {
        throw fail("/detection/timeframe", e.getMessage());
      }
      return new RuleSource.Threshold(threshold, timeframe, by);
    }

    private String mapField(String field, boolean cidr) {
      if (!rawFields && logType == LogType.CLOUDTRAIL && cidr && field.equals("sourceIPAddress")) {
        return "source.ip";
      }
      return rawFields ? field : SigmaFields.resolve(logType, field);
    }

    /** A selection: a map (AND of fields) or a list of maps (OR). */
    ObjectNode selection(String name, JsonNode def) {
      String pointer = "/detection/" + YamlTree.escape(name);
      if (def.isObject()) {
        return fieldMap(def, pointer);
      }
      if (def.isArray()) {
        List<ObjectNode> alternatives = new ArrayList<>();
        List<JsonNode> keywords = new ArrayList<>();
        int i = 0;
        for (JsonNode item : def) {
          if (item.isObject()) {
            alternatives.add(fieldMap(item, pointer + "/" + i));
          } else {
            keywords.add(item);
          }
          i++;
        }
        if (!keywords.isEmpty()) {
          alternatives.add(keywords(keywords, List.of(), pointer));
        }
        if (alternatives.isEmpty()) {
          throw fail(pointer, "selection '" + name + "' is an empty list");
        }
        return or(alternatives);
      }
      if (def.isValueNode() && !def.isNull()) {
        return keywords(List.of(def), List.of(), pointer);
      }
      throw fail(pointer, "selection '" + name + "' must be a map, a list or a keyword");
    }

    /**
     * Keywords (field-less values): each matches when it occurs inside some string value of the
     * event — any keyword field, any leaf of a flat_object field (case-sensitive, Sigma wildcards
     * kept), or as a phrase of words in a text field — over every string field Vigil's mapping of
     * the log type declares; one clause per field and value. Fields OpenSearch maps dynamically
     * (absent from Vigil's mapping) are not searched: see docs/detections.md.
     */
    private ObjectNode keywords(List<JsonNode> values, List<String> mods, String pointer) {
      if (!types.known()) {
        throw fail(
            pointer,
            "keyword (field-less) search with --index: the converter does not know that index's"
                + " string fields; name the field the value is in");
      }
      List<String> fields = types.stringFields();
      if (values.size() * fields.size() > MAX_CLAUSES) {
        throw fail(
            pointer,
            values.size()
                + " keywords × "
                + fields.size()
                + " string fields of "
                + logType.id()
                + " give more clauses than OpenSearch accepts in one query ("
                + MAX_CLAUSES
                + "); split the list or name the fields");
      }
      List<ObjectNode> perValue = new ArrayList<>();
      for (JsonNode v : values) {
        if (v.isNull() || v.isContainerNode()) {
          throw fail(pointer, "a keyword must be a string or a number, not " + v);
        }
        List<Piece> pieces = pieces(v.asText());
        boolean innerWildcard = pieces.stream().anyMatch(Piece::wildcard);
        List<ObjectNode> clauses = new ArrayList<>();
        for (String f : fields) {
          Kind kind = types.type(f).kind();
          if (kind != Kind.TEXT || !innerWildcard) {
            clauses.add(match(f, kind, pieces, List.of("contains"), pointer, "keyword"));
          }
        }
        perValue.add(or(clauses));
      }
      return mods.contains("all") ? and(perValue) : or(perValue);
    }

    private ObjectNode fieldMap(JsonNode map, String pointer) {
      List<ObjectNode> clauses = new ArrayList<>();
      Iterator<Map.Entry<String, JsonNode>> it = map.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        clauses.add(field(e.getKey(), e.getValue(), pointer + "/" + YamlTree.escape(e.getKey())));
      }
      if (clauses.isEmpty()) {
        throw fail(pointer, "empty selection");
      }
      return and(clauses);
    }

    private ObjectNode field(String key, JsonNode value, String pointer) {
      String[] parts = key.split("\\|");
      String sigmaField = parts[0];
      List<String> mods = new ArrayList<>();
      for (int i = 1; i < parts.length; i++) {
        if (TIME_PARTS.contains(parts[i])) {
          throw fail(
              pointer,
              "the modifier '"
                  + parts[i]
                  + "' ("
                  + key
                  + ") compares a part of a timestamp: OpenSearch's query DSL computes date parts"
                  + " only in scripts or runtime fields, which Vigil's rules do not use");
        }
        if (!KNOWN_MODIFIERS.contains(parts[i])) {
          throw fail(pointer, "the modifier '" + parts[i] + "' (" + key + ") is not supported");
        }
        mods.add(parts[i]);
      }
      List<String> flags = List.of("i", "ignorecase", "m", "multiline", "s", "dotall");
      if (!mods.contains("re") && mods.stream().anyMatch(flags::contains)) {
        throw fail(pointer, key + ": the regular expression flags i, m and s only apply with re");
      }
      if (mods.remove("neq")) {
        // Sigma's neq: the item matches when none of its values does
        return not(field(withoutModifier(key, "neq"), value, pointer));
      }
      List<JsonNode> given = new ArrayList<>();
      if (value.isArray()) {
        value.forEach(given::add);
      } else {
        given.add(value);
      }
      if (sigmaField.isEmpty()) {
        for (String m : mods) {
          if (!Set.of("all", "contains", "cased").contains(m)) {
            throw fail(
                pointer, "the modifier '" + m + "' on keywords (" + key + ") is not supported");
          }
        }
        return keywords(given, mods, pointer);
      }
      boolean cidr = mods.contains("cidr");
      String field = mapField(sigmaField, cidr);
      List<JsonNode> values = mods.contains("expand") ? expand(given, pointer, key) : given;
      if (values.isEmpty()) {
        throw fail(pointer, key + " has an empty list of values");
      }
      if (mods.contains("fieldref")) {
        return fieldRef(field, values, mods, pointer, key);
      }
      if (mods.contains("exists")) {
        if (values.size() != 1 || !values.get(0).isBoolean()) {
          throw fail(pointer, key + ": exists takes true or false");
        }
        ObjectNode exists = exists(field, pointer);
        return values.get(0).asBoolean() ? exists : not(exists);
      }
      List<ObjectNode> clauses = new ArrayList<>();
      for (JsonNode v : values) {
        clauses.add(value(field, v, mods, pointer, key));
      }
      return mods.contains("all") ? and(clauses) : or(clauses);
    }

    private String withoutModifier(String key, String modifier) {
      List<String> parts = new ArrayList<>(List.of(key.split("\\|", -1)));
      parts.subList(1, parts.size()).remove(modifier);
      return String.join("|", parts);
    }

    /**
     * Sigma's {@code expand}: each {@code %name%} in a value becomes each value the rule declares
     * for it under {@value #PLACEHOLDERS} (all combinations, OR-ed); a placeholder without values
     * fails, naming it.
     */
    private List<JsonNode> expand(List<JsonNode> values, String pointer, String key) {
      Pattern placeholder = Pattern.compile("%([A-Za-z0-9_.-]+)%");
      List<JsonNode> out = new ArrayList<>();
      for (JsonNode v : values) {
        List<String> texts = List.of(v.asText());
        Set<String> names = new LinkedHashSet<>();
        Matcher m = placeholder.matcher(v.asText());
        while (m.find()) {
          names.add(m.group(1));
        }
        for (String name : names) {
          JsonNode declared = root.path(PLACEHOLDERS).path(name);
          List<String> replacements = new ArrayList<>();
          if (declared.isArray()) {
            declared.forEach(r -> replacements.add(r.asText()));
          } else if (declared.isValueNode() && !declared.isNull()) {
            replacements.add(declared.asText());
          }
          if (replacements.isEmpty()) {
            throw fail(
                pointer,
                key
                    + ": the placeholder %"
                    + name
                    + "% has no values; declare them in the rule under '"
                    + PLACEHOLDERS
                    + ": {"
                    + name
                    + ": [...]}' (docs/detections.md)");
          }
          List<String> next = new ArrayList<>();
          for (String t : texts) {
            for (String r : replacements) {
              next.add(t.replace("%" + name + "%", r));
            }
          }
          texts = next;
        }
        texts.forEach(t -> out.add(NODES.textNode(t)));
      }
      if (out.size() > MAX_CLAUSES) {
        throw fail(
            pointer,
            key + ": expand gives " + out.size() + " values, more than OpenSearch accepts");
      }
      return out;
    }

    /**
     * {@code field|fieldref: other}: the two fields of one event hold the same value. OpenSearch
     * cannot compare fields without scripts, so this becomes a post-filter (see PostFilter).
     */
    private ObjectNode fieldRef(
        String field, List<JsonNode> values, List<String> mods, String pointer, String key) {
      for (String m : mods) {
        if (!m.equals("fieldref") && !m.equals("cased")) {
          throw fail(
              pointer,
              key + ": fieldref with '" + m + "' is not supported (only exact equality is)");
        }
      }
      List<ObjectNode> clauses = new ArrayList<>();
      for (JsonNode v : values) {
        if (!v.isTextual() || v.asText().isBlank()) {
          throw fail(pointer, key + ": fieldref takes field names, got '" + v.asText() + "'");
        }
        String other = mapField(v.asText(), false);
        for (String f : List.of(field, other)) {
          Kind kind = types.type(f).kind();
          if (kind == Kind.TEXT || kind == Kind.FLAT_OBJECT) {
            throw fail(
                pointer,
                key
                    + ": fieldref compares exact values, but "
                    + f
                    + " is "
                    + (kind == Kind.TEXT ? "analyzed text" : "a whole flat_object field"));
          }
        }
        clauses.add(PostFilter.fieldEquals(field, other));
      }
      return or(clauses);
    }

    private ObjectNode value(
        String field, JsonNode v, List<String> mods, String pointer, String key) {
      if (v.isNull()) {
        return not(exists(field, pointer));
      }
      if (v.isObject() || v.isArray()) {
        throw fail(pointer, key + ": nested values are not supported");
      }
      String text = v.asText();
      Kind kind = types.type(field).kind();
      for (String cmp : List.of("gt", "gte", "lt", "lte")) {
        if (mods.contains(cmp)) {
          if (!v.isNumber()) {
            throw fail(pointer, key + ": " + cmp + " needs a number, got '" + text + "'");
          }
          if (kind != Kind.NUMBER && types.known()) {
            throw fail(
                pointer, key + ": " + cmp + " on a field that is not numeric in Vigil's mapping");
          }
          ObjectNode range = NODES.objectNode();
          range.putObject("range").putObject(field).put(cmp, v.decimalValue());
          return range;
        }
      }
      if (mods.contains("re")) {
        return regexp(field, text, mods, pointer, key);
      }
      if (mods.contains("cidr")) {
        if (types.known() && kind != Kind.IP) {
          throw fail(pointer, key + ": cidr needs an ip field, " + field + " is not one");
        }
        ObjectNode term = NODES.objectNode();
        term.putObject("term").put(field, text);
        return term;
      }
      List<String> variants = new ArrayList<>();
      if (mods.contains("windash")) {
        List<String> dashed = Windash.variants(text);
        if (dashed == null) {
          throw fail(
              pointer,
              key
                  + ": windash on more than "
                  + Windash.MAX_FLAGS
                  + " flags gives more values than OpenSearch accepts in one query");
        }
        variants.addAll(dashed);
      } else {
        variants.add(text);
      }
      if (!rawFields
          && SigmaFields.fullyQualifiedName(logType, field)
          && !mods.contains("contains")
          && !mods.contains("startswith")) {
        // the value ends where the name does: add the root's dot Route 53 writes
        variants.replaceAll(s -> s.endsWith(".") || s.endsWith("*") ? s : s + ".");
      }
      Charset charset = encoding(mods, pointer, key);
      boolean bom = mods.contains("utf16");
      if (mods.contains("base64")) {
        variants.replaceAll(s -> Base64.getEncoder().encodeToString(bytes(s, charset, bom)));
      } else if (mods.contains("base64offset")) {
        List<String> offsets = new ArrayList<>();
        for (String s : variants) {
          offsets.addAll(base64Offsets(bytes(s, charset, bom)));
        }
        variants = offsets;
      }
      boolean encoded = mods.contains("base64") || mods.contains("base64offset");
      List<ObjectNode> out = new ArrayList<>();
      for (String s : new LinkedHashSet<>(variants)) {
        List<Piece> pieces = encoded ? List.of(new Piece(s, false)) : pieces(s);
        out.add(match(field, kind, pieces, mods, pointer, key));
      }
      return or(out);
    }

    /** The bytes of {@code s}, after UTF-16's byte order mark (FF FE) for {@code utf16}. */
    private static byte[] bytes(String s, Charset charset, boolean bom) {
      byte[] text = s.getBytes(charset);
      if (!bom) {
        return text;
      }
      byte[] out = new byte[text.length + 2];
      out[0] = (byte) 0xFF;
      out[1] = (byte) 0xFE;
      System.arraycopy(text, 0, out, 2, text.length);
      return out;
    }

    /**
     * The bytes base64 encodes: UTF-8, or UTF-16 for {@code wide}/{@code utf16le}/{@code utf16be}
     * and {@code utf16} (little-endian after a byte order mark, as Windows' "Unicode" files and
     * PowerShell write it), which only mean something under base64.
     */
    private Charset encoding(List<String> mods, String pointer, String key) {
      boolean le = mods.contains("wide") || mods.contains("utf16le") || mods.contains("utf16");
      boolean be = mods.contains("utf16be");
      if ((le || be) && !mods.contains("base64") && !mods.contains("base64offset")) {
        throw fail(
            pointer, key + ": wide/utf16/utf16le/utf16be only apply with base64 or base64offset");
      }
      return be
          ? StandardCharsets.UTF_16BE
          : le ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_8;
    }

    private ObjectNode match(
        String field,
        Kind kind,
        List<Piece> pieces,
        List<String> mods,
        String pointer,
        String key) {
      boolean contains = mods.contains("contains");
      boolean starts = mods.contains("startswith");
      boolean ends = mods.contains("endswith");
      List<Piece> p = new ArrayList<>(pieces);
      if (contains || ends) {
        p.add(0, new Piece("*", true));
      }
      if (contains || starts) {
        p.add(new Piece("*", true));
      }
      boolean anyWildcard = p.stream().anyMatch(Piece::wildcard);
      boolean onlyStars =
          p.stream().allMatch(x -> x.wildcard() && x.text().equals("*"))
              && p.stream().anyMatch(Piece::wildcard);
      ObjectNode q = NODES.objectNode();
      if (onlyStars) {
        return anyValue(field, kind, pointer);
      }
      if (kind == Kind.TEXT) {
        if (pieces.stream().anyMatch(Piece::wildcard) || starts || ends) {
          throw fail(
              pointer,
              key
                  + ": "
                  + field
                  + " is analyzed text; only plain values and contains (matched as a phrase of"
                  + " words) are supported on it");
        }
        q.putObject("match_phrase").put(field, literal(pieces));
        return q;
      }
      if (!anyWildcard) {
        q.putObject("term").put(field, literal(p));
        return q;
      }
      // A single trailing * after literal text is a prefix query.
      boolean prefix =
          p.size() >= 2
              && p.get(p.size() - 1).wildcard()
              && p.get(p.size() - 1).text().equals("*")
              && p.subList(0, p.size() - 1).stream().noneMatch(Piece::wildcard);
      if (prefix) {
        q.putObject("prefix").put(field, literal(p.subList(0, p.size() - 1)));
        return q;
      }
      StringBuilder pattern = new StringBuilder();
      for (Piece piece : p) {
        if (piece.wildcard()) {
          pattern.append(piece.text());
        } else {
          for (char c : piece.text().toCharArray()) {
            if (c == '*' || c == '?' || c == '\\') {
              pattern.append('\\');
            }
            pattern.append(c);
          }
        }
      }
      q.putObject("wildcard").putObject(field).put("value", pattern.toString());
      return q;
    }

    /** "Any value at all": exists, or a prefix query with an empty value inside flat_object. */
    private ObjectNode anyValue(String field, Kind kind, String pointer) {
      return exists(field, pointer);
    }

    private ObjectNode exists(String field, String pointer) {
      Kind kind = types.type(field).kind();
      ObjectNode q = NODES.objectNode();
      if (kind == Kind.FLAT_SUBPATH || kind == Kind.FLAT_OBJECT) {
        // exists on flat_object sub-paths returns nothing in OpenSearch 2.19; an empty prefix
        // matches every value there.
        q.putObject("prefix").put(field, "");
      } else {
        q.putObject("exists").put("field", field);
      }
      return q;
    }

    private ObjectNode regexp(
        String field, String regex, List<String> mods, String pointer, String key) {
      String r = regex;
      boolean anchoredStart = r.startsWith("^");
      boolean anchoredEnd = r.endsWith("$") && !r.endsWith("\\$");
      if (anchoredStart) {
        r = r.substring(1);
      }
      if (anchoredEnd) {
        r = r.substring(0, r.length() - 1);
      }
      boolean dotall = mods.contains("s") || mods.contains("dotall");
      boolean multiline = mods.contains("m") || mods.contains("multiline");
      try {
        r = SigmaRegex.toLucene(r, dotall);
      } catch (IllegalArgumentException e) {
        throw fail(pointer, key + ": the regular expression uses " + e.getMessage());
      }
      String reason = Regexps.unsupported(r);
      if (reason != null) {
        throw fail(pointer, key + ": the regular expression uses " + reason);
      }
      if (r.contains("|") && (!anchoredStart || !anchoredEnd || multiline)) {
        r = "(" + r + ")";
      }
      // Lucene's '.' is any character: the prefixes and suffixes below may cross lines.
      if (!anchoredStart && !r.startsWith(".*") && !r.startsWith(".+")) {
        r = ".*" + r;
      } else if (anchoredStart && multiline) {
        r = "(.*\n)?" + r; // '^' with m: at the start or after a line break
      }
      if (!anchoredEnd && !r.endsWith(".*") && !r.endsWith(".+")) {
        r = r + ".*";
      } else if (anchoredEnd && multiline) {
        r = r + "(\n.*)?"; // '$' with m: at the end or before a line break
      }
      if (types.type(field).kind() == Kind.TEXT) {
        throw fail(pointer, key + ": regular expressions on analyzed text are not supported");
      }
      ObjectNode q = NODES.objectNode();
      ObjectNode spec = q.putObject("regexp").putObject(field).put("value", r);
      if (mods.contains("i") || mods.contains("ignorecase")) {
        spec.put("case_insensitive", true);
      }
      return q;
    }
  }

  /** Literal text or a Sigma wildcard (* or ?). */
  record Piece(String text, boolean wildcard) {}

  /** Splits a Sigma value into literals and wildcards; \*, \? and \\ are literal characters. */
  static List<Piece> pieces(String value) {
    List<Piece> out = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' && i + 1 < value.length() && "*?\\".indexOf(value.charAt(i + 1)) >= 0) {
        lit.append(value.charAt(++i));
      } else if (c == '*' || c == '?') {
        if (!lit.isEmpty()) {
          out.add(new Piece(lit.toString(), false));
          lit.setLength(0);
        }
        out.add(new Piece(String.valueOf(c), true));
      } else {
        lit.append(c);
      }
    }
    if (!lit.isEmpty() || out.isEmpty()) {
      out.add(new Piece(lit.toString(), false));
    }
    return out;
  }

  private static String literal(List<Piece> pieces) {
    StringBuilder sb = new StringBuilder();
    pieces.forEach(p -> sb.append(p.text()));
    return sb.toString();
  }

  /** The three encodings of {@code value} at byte offsets 0, 1, 2 (Sigma's base64offset). */
  static List<String> base64Offsets(String value) {
    return base64Offsets(value.getBytes(StandardCharsets.UTF_8));
  }

  static List<String> base64Offsets(byte[] bytes) {
    List<String> out = new ArrayList<>();
    int[] start = {0, 2, 3};
    int[] end = {0, 3, 2};
    for (int i = 0; i < 3; i++) {
      byte[] padded = new byte[bytes.length + i];
      for (int j = 0; j < i; j++) {
        padded[j] = ' ';
      }
      System.arraycopy(bytes, 0, padded, i, bytes.length);
      String enc = Base64.getEncoder().encodeToString(padded);
      int trim = end[(bytes.length + i) % 3];
      out.add(enc.substring(start[i], enc.length() - trim));
    }
    return out;
  }

  static ObjectNode and(List<ObjectNode> clauses) {
    if (clauses.size() == 1) {
      return clauses.get(0);
    }
    ObjectNode q = NODES.objectNode();
    ArrayNode filter = q.putObject("bool").putArray("filter");
    clauses.forEach(filter::add);
    return q;
  }

  static ObjectNode or(List<ObjectNode> clauses) {
    if (clauses.size() == 1) {
      return clauses.get(0);
    }
    ObjectNode q = NODES.objectNode();
    ObjectNode bool = q.putObject("bool");
    ArrayNode should = bool.putArray("should");
    clauses.forEach(should::add);
    bool.put("minimum_should_match", 1);
    return q;
  }

  static ObjectNode atLeast(List<ObjectNode> clauses, int n) {
    ObjectNode q = NODES.objectNode();
    ObjectNode bool = q.putObject("bool");
    ArrayNode should = bool.putArray("should");
    clauses.forEach(should::add);
    bool.put("minimum_should_match", n);
    return q;
  }

  static ObjectNode not(ObjectNode clause) {
    ObjectNode q = NODES.objectNode();
    q.putObject("bool").putArray("must_not").add(clause);
    return q;
  }

  /** Parses and/or/not, parentheses, "1 of", "all of", "N of", "them" and name wildcards. */
  private static final class ConditionParser {
    private final List<String> tokens = new ArrayList<>();
    private final Map<String, JsonNode> selections;
    private final Conversion conversion;
    private final String pointer;
    private final String text;
    private int pos;

    ConditionParser(
        String text, Map<String, JsonNode> selections, Conversion conversion, String pointer) {
      this.text = text;
      this.selections = selections;
      this.conversion = conversion;
      this.pointer = pointer;
      Matcher m = Pattern.compile("\\(|\\)|[^\\s()]+").matcher(text);
      while (m.find()) {
        tokens.add(m.group());
      }
    }

    ObjectNode parse() {
      if (tokens.isEmpty()) {
        throw conversion.fail(pointer, "the condition is empty");
      }
      ObjectNode q = or();
      if (pos < tokens.size()) {
        throw conversion.fail(
            pointer, "unexpected '" + tokens.get(pos) + "' in condition '" + text + "'");
      }
      return q;
    }

    private String peek() {
      return pos < tokens.size() ? tokens.get(pos) : null;
    }

    private boolean accept(String word) {
      if (word.equalsIgnoreCase(peek() == null ? "" : peek())) {
        pos++;
        return true;
      }
      return false;
    }

    private ObjectNode or() {
      List<ObjectNode> items = new ArrayList<>();
      items.add(and());
      while (accept("or")) {
        items.add(and());
      }
      return SigmaConverter.or(items);
    }

    private ObjectNode and() {
      List<ObjectNode> items = new ArrayList<>();
      items.add(unary());
      while (accept("and")) {
        items.add(unary());
      }
      return SigmaConverter.and(items);
    }

    private ObjectNode unary() {
      if (accept("not")) {
        return SigmaConverter.not(unary());
      }
      return primary();
    }

    private ObjectNode primary() {
      String t = peek();
      if (t == null) {
        throw conversion.fail(pointer, "the condition '" + text + "' ends too early");
      }
      if (accept("(")) {
        ObjectNode inner = or();
        if (!accept(")")) {
          throw conversion.fail(pointer, "missing ')' in condition '" + text + "'");
        }
        return inner;
      }
      pos++;
      if (pos < tokens.size() && tokens.get(pos).equalsIgnoreCase("of")) {
        pos++;
        String target = peek();
        if (target == null) {
          throw conversion.fail(pointer, "'" + t + " of' needs selection names or 'them'");
        }
        pos++;
        List<String> names = names(target);
        List<ObjectNode> items = new ArrayList<>();
        for (String n : names) {
          items.add(conversion.selection(n, selections.get(n)));
        }
        if (t.equalsIgnoreCase("all")) {
          return SigmaConverter.and(items);
        }
        if (!t.matches("[0-9]+")) {
          throw conversion.fail(
              pointer, "'" + t + " of' is not supported (use 1 of, N of or all of)");
        }
        int n = Integer.parseInt(t);
        if (n < 1 || n > items.size()) {
          throw conversion.fail(
              pointer,
              "'" + t + " of " + target + "' can never match " + items.size() + " selection(s)");
        }
        return n == 1 ? SigmaConverter.or(items) : atLeast(items, n);
      }
      if (t.equals(")") || t.equalsIgnoreCase("and") || t.equalsIgnoreCase("or")) {
        throw conversion.fail(pointer, "unexpected '" + t + "' in condition '" + text + "'");
      }
      JsonNode def = selections.get(t);
      if (def == null) {
        throw conversion.fail(pointer, "the condition names '" + t + "', which is not a selection");
      }
      return conversion.selection(t, def);
    }

    private List<String> names(String target) {
      List<String> out = new ArrayList<>();
      if (target.equalsIgnoreCase("them")) {
        for (String n : selections.keySet()) {
          if (!n.startsWith("_")) {
            out.add(n);
          }
        }
      } else {
        Pattern p = Pattern.compile(Pattern.quote(target).replace("*", "\\E.*\\Q"));
        for (String n : selections.keySet()) {
          if (p.matcher(n).matches()) {
            out.add(n);
          }
        }
      }
      if (out.isEmpty()) {
        throw conversion.fail(pointer, "'" + target + "' names no selection");
      }
      return out;
    }
  }
}
