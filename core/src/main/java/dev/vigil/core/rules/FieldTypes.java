package dev.vigil.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.IndexNaming;
import dev.vigil.core.parse.IndexTemplates;
import java.util.Iterator;
import java.util.Map;

/**
 * How Vigil's index templates map each field of a log type, so the compiler and the in-memory
 * evaluator know what OpenSearch will do with a query on it (exact keyword, analyzed text,
 * flat_object sub-path, number, ip, date).
 */
public final class FieldTypes {
  /** What a field is in the index. */
  public enum Kind {
    KEYWORD,
    TEXT,
    /** A flat_object field itself: queries search every leaf value under it. */
    FLAT_OBJECT,
    /** A dotted path below a flat_object field: term/prefix/wildcard work, exists does not. */
    FLAT_SUBPATH,
    NUMBER,
    DATE,
    IP,
    BOOLEAN,
    OBJECT,
    OTHER
  }

  /**
   * @param ignoreAbove keyword values longer than this are not indexed (Integer.MAX_VALUE: no
   *     limit)
   * @param flatRoot for FLAT_SUBPATH, the flat_object field it lives in
   */
  public record FieldType(Kind kind, int ignoreAbove, String flatRoot) {}

  private static final FieldType DYNAMIC_STRING = new FieldType(Kind.KEYWORD, 1024, null);

  private final JsonNode ecs;
  private final JsonNode typed;

  private FieldTypes(JsonNode ecs, JsonNode typed) {
    this.ecs = ecs;
    this.typed = typed;
  }

  /** The mappings of Vigil's template for {@code type} (ECS component + type-specific). */
  public static FieldTypes of(LogType type) {
    IndexTemplates templates = new IndexTemplates(IndexNaming.defaults());
    return new FieldTypes(
        templates.componentTemplate().path("template").path("mappings"),
        templates.indexTemplate(type).path("template").path("mappings"));
  }

  /**
   * For indices Vigil does not manage: every field is taken as an exact (keyword) field, which is
   * what the evaluator can promise.
   */
  public static FieldTypes unknown() {
    return new FieldTypes(null, null);
  }

  /**
   * The field a path reads in a document: the target of a field {@code alias} in the mapping (a
   * CloudTrail document holds {@code eventName}, which OpenSearch also answers as {@code
   * event.action}), else the path itself. Whatever reads a document's {@code _source} in memory
   * (the evaluators, alert keys, messages) reads through this, so it answers as OpenSearch does.
   */
  public String resolve(String path) {
    if (typed == null) {
      return path;
    }
    JsonNode field = mapping(typed.path("properties"), path);
    if (field == null) {
      field = mapping(ecs.path("properties"), path);
    }
    return field != null && field.path("type").asText().equals("alias")
        ? field.path("path").asText()
        : path;
  }

  /** Every field alias of the mapping, alias path to the field it reads, in a stable order. */
  public java.util.SortedMap<String, String> aliases() {
    java.util.SortedMap<String, String> out = new java.util.TreeMap<>();
    if (typed != null) {
      java.util.Set<String> paths = new java.util.TreeSet<>();
      collectStrings(typed.path("properties"), "", paths);
      collectStrings(ecs.path("properties"), "", paths);
      paths.stream().filter(p -> !resolve(p).equals(p)).forEach(p -> out.put(p, resolve(p)));
    }
    return out;
  }

  /**
   * Whether OpenSearch can search a mapped field: not one kept stored only ({@code index: false},
   * or in a block mapped {@code enabled: false}; see the stored-only fields in
   * docs/performance.md).
   */
  public boolean searchable(String path) {
    if (typed == null) {
      return true;
    }
    path = resolve(path);
    for (JsonNode properties :
        java.util.List.of(typed.path("properties"), ecs.path("properties"))) {
      JsonNode current = properties;
      for (String part : path.split("\\.")) {
        JsonNode field = current.get(part);
        if (field == null) {
          break;
        }
        if (!field.path("index").asBoolean(true) || !field.path("enabled").asBoolean(true)) {
          return false;
        }
        current = field.path("properties");
      }
    }
    return true;
  }

  /**
   * Whether OpenSearch can aggregate or sort on a mapped field by its doc values: false for a field
   * mapped {@code doc_values: false} (identifiers and the multi-fields {@code raw}, indexed for
   * search only; see docs/performance.md), where a terms aggregation fails every search. Fields the
   * mapping does not name (dynamic keywords) have doc values.
   */
  public boolean hasDocValues(String path) {
    if (typed == null) {
      return true;
    }
    path = resolve(path);
    for (JsonNode properties :
        java.util.List.of(typed.path("properties"), ecs.path("properties"))) {
      JsonNode field = mapping(properties, path);
      int dot = path.lastIndexOf('.');
      if (field == null && dot > 0) { // a multi-field, e.g. readOnly.raw
        JsonNode parent = mapping(properties, path.substring(0, dot));
        field = parent == null ? null : parent.path("fields").get(path.substring(dot + 1));
      }
      if (field != null) {
        return field.path("doc_values").asBoolean(true);
      }
    }
    return true;
  }

  /** Why {@code field} of {@code type}'s indices cannot be aggregated: it has no doc values. */
  public static String noDocValues(String field, LogType type) {
    return field
        + " has no doc values in "
        + type.id()
        + " indices (indexed for search only, docs/performance.md), so OpenSearch cannot"
        + " aggregate or sort on it: group by another field, or give it doc values in the "
        + type.id()
        + " mapping";
  }

  /** The mapping object of a dotted path, or null (not below flat_object or multi-fields). */
  private static JsonNode mapping(JsonNode properties, String path) {
    JsonNode current = properties;
    JsonNode field = null;
    for (String part : path.split("\\.")) {
      field = current.get(part);
      if (field == null) {
        return null;
      }
      current = field.path("properties");
    }
    return field;
  }

  /** The mapping of a dotted path; unmapped strings are dynamic keywords (ignore_above 1024). */
  public FieldType type(String path) {
    if (typed == null) {
      return new FieldType(Kind.KEYWORD, Integer.MAX_VALUE, null);
    }
    path = resolve(path);
    FieldType t = lookup(typed.path("properties"), path);
    if (t == null) {
      t = lookup(ecs.path("properties"), path);
    }
    return t == null ? DYNAMIC_STRING : t;
  }

  /**
   * The fields of the mapping that hold strings a full-text (keyword) search reads: keyword, text
   * and flat_object roots, as dotted paths in a stable order (the log type's own mapping wins over
   * the ECS component, as in OpenSearch). Empty for {@link #unknown()}. Multi-fields ({@code raw})
   * are left out: they repeat a typed value as written, which the document does not hold under that
   * path.
   */
  public java.util.List<String> stringFields() {
    java.util.Set<String> out = new java.util.TreeSet<>();
    if (typed != null) {
      collectStrings(typed.path("properties"), "", out);
      collectStrings(ecs.path("properties"), "", out);
    }
    out.removeIf(
        f ->
            !resolve(f).equals(f) // an alias: its target is in the list
                || !searchable(f) // stored only: OpenSearch refuses to search it
                || type(f).kind() != Kind.KEYWORD
                    && type(f).kind() != Kind.TEXT
                    && type(f).kind() != Kind.FLAT_OBJECT);
    return java.util.List.copyOf(out);
  }

  private static void collectStrings(
      JsonNode properties, String prefix, java.util.Set<String> out) {
    properties
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode field = e.getValue();
              String path = prefix + e.getKey();
              if (field.has("properties") && !field.has("type")) {
                collectStrings(field.path("properties"), path + ".", out);
              } else {
                out.add(path);
              }
            });
  }

  /** Whether the evaluator knows the mapping (a Vigil log type) or assumes keywords. */
  public boolean known() {
    return typed != null;
  }

  private static FieldType lookup(JsonNode properties, String path) {
    String[] parts = path.split("\\.");
    JsonNode current = properties;
    for (int i = 0; i < parts.length; i++) {
      JsonNode field = current.get(parts[i]);
      if (field == null) {
        return null;
      }
      String type = field.path("type").asText("object");
      if (type.equals("flat_object")) {
        if (i == parts.length - 1) {
          return new FieldType(Kind.FLAT_OBJECT, Integer.MAX_VALUE, path);
        }
        String root = String.join(".", java.util.Arrays.copyOf(parts, i + 1));
        return new FieldType(Kind.FLAT_SUBPATH, Integer.MAX_VALUE, root);
      }
      if (i == parts.length - 1) {
        return new FieldType(kind(type), field.path("ignore_above").asInt(Integer.MAX_VALUE), null);
      }
      if (i == parts.length - 2 && field.path("fields").has(parts[i + 1])) {
        JsonNode multi = field.path("fields").path(parts[i + 1]); // e.g. readOnly.raw
        return new FieldType(
            kind(multi.path("type").asText()),
            multi.path("ignore_above").asInt(Integer.MAX_VALUE),
            null);
      }
      if (!field.has("properties")) {
        return null;
      }
      current = field.path("properties");
    }
    return null;
  }

  private static Kind kind(String type) {
    return switch (type) {
      case "keyword", "constant_keyword" -> Kind.KEYWORD;
      case "text", "match_only_text" -> Kind.TEXT;
      case "long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float" ->
          Kind.NUMBER;
      case "date", "date_nanos" -> Kind.DATE;
      case "ip" -> Kind.IP;
      case "boolean" -> Kind.BOOLEAN;
      case "object" -> Kind.OBJECT;
      default -> Kind.OTHER;
    };
  }

  static Iterator<Map.Entry<String, JsonNode>> fields(JsonNode node) {
    return node.fields();
  }
}
