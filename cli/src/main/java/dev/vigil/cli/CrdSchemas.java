package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.rules.YamlTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The openAPIV3Schema of Vigil's CRDs (crds/*.yaml), checked the way the API server would for the
 * parts that matter to authors: types, required fields, enums, patterns, minimum/maximum, sizes
 * (min/maxItems, min/maxLength, min/maxProperties), unknown fields, the CEL rules of
 * x-kubernetes-validations ({@link CelRules}), and {@code metadata}: the name every custom resource
 * must have (a DNS-1123 subdomain, {@link ObjectNames}) plus whatever the CRD's own {@code
 * metadata} schema adds.
 */
final class CrdSchemas {
  /**
   * One schema violation at a JSON pointer; {@code warning}: not a violation, something that could
   * not be checked offline.
   */
  record Violation(String pointer, String message, boolean warning) {
    Violation(String pointer, String message) {
      this(pointer, message, false);
    }
  }

  private final Map<String, JsonNode> byKind = new HashMap<>();
  private final CelRules cel = new CelRules();

  static CrdSchemas load(Path dir) throws IOException {
    CrdSchemas schemas = new CrdSchemas();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        for (YamlTree t : YamlTree.parseAll(Files.readString(f))) {
          JsonNode crd = t.root();
          if (!"CustomResourceDefinition".equals(crd.path("kind").asText())) {
            continue;
          }
          String kind = crd.path("spec").path("names").path("kind").asText();
          String group = crd.path("spec").path("group").asText();
          for (JsonNode v : crd.path("spec").path("versions")) {
            schemas.byKind.put(
                group + "/" + v.path("name").asText() + "/" + kind,
                v.path("schema").path("openAPIV3Schema"));
          }
        }
      }
    }
    return schemas;
  }

  boolean knows(String apiVersion, String kind) {
    return byKind.containsKey(apiVersion + "/" + kind);
  }

  void validate(String apiVersion, String kind, JsonNode object, List<Violation> out) {
    JsonNode schema = byKind.get(apiVersion + "/" + kind);
    JsonNode metadata = object.path("metadata");
    ObjectNames.check(metadata, out);
    JsonNode metadataSchema = schema.path("properties").path("metadata");
    if (metadata.isObject() && metadataSchema.path("properties").size() > 0) {
      // A CRD may narrow metadata.name/generateName; the rest of metadata is the API server's.
      for (String field : List.of("name", "generateName")) {
        if (metadata.has(field) && metadataSchema.path("properties").has(field)) {
          check(
              metadataSchema.path("properties").get(field),
              metadata.get(field),
              "/metadata/" + field,
              out);
        }
      }
    }
    JsonNode specSchema = schema.path("properties").path("spec");
    int before = out.size();
    if (object.has("spec")) {
      check(specSchema, object.get("spec"), "/spec", out);
    } else if (schema.path("required").toString().contains("\"spec\"")) {
      out.add(new Violation("", "spec is required"));
    }
    if (out.size() == before) {
      checkRootRules(schema, object, out);
    }
  }

  /**
   * CEL rules on the whole object (e.g. a limit on the name): as on the API server, they see {@code
   * spec} and, of the metadata, only {@code name} and {@code generateName}.
   */
  private void checkRootRules(JsonNode schema, JsonNode object, List<Violation> out) {
    if (schema.path("x-kubernetes-validations").isEmpty()) {
      return;
    }
    ObjectNode metadataSchema = JsonNodeFactory.instance.objectNode().put("type", "object");
    ObjectNode metadataFields = metadataSchema.putObject("properties");
    ObjectNode metadata = JsonNodeFactory.instance.objectNode();
    for (String field : List.of("name", "generateName")) {
      metadataFields.putObject(field).put("type", "string");
      if (object.path("metadata").has(field)) {
        metadata.set(field, object.path("metadata").get(field));
      }
    }
    ObjectNode celSchema = schema.deepCopy();
    ((ObjectNode) celSchema.path("properties")).set("metadata", metadataSchema);
    ObjectNode celObject = object.deepCopy();
    celObject.set("metadata", metadata);
    for (JsonNode validation : schema.path("x-kubernetes-validations")) {
      CelRules.Failure f = cel.check(validation, celSchema, celObject);
      if (f != null) {
        out.add(new Violation("", f.message(), f.notChecked()));
      }
    }
  }

  private void check(JsonNode schema, JsonNode value, String pointer, List<Violation> out) {
    int before = out.size();
    checkType(schema, value, pointer, out);
    // Like the API server, CEL rules run on values that pass their schema.
    if (out.size() == before && !value.isNull()) {
      String field = pointer.isEmpty() ? "(root)" : pointer.substring(1).replace('/', '.');
      for (JsonNode validation : schema.path("x-kubernetes-validations")) {
        CelRules.Failure f = cel.check(validation, schema, value);
        if (f != null) {
          out.add(new Violation(pointer, field + ": " + f.message(), f.notChecked()));
        }
      }
    }
  }

  private void checkType(JsonNode schema, JsonNode value, String pointer, List<Violation> out) {
    String field = pointer.isEmpty() ? "(root)" : pointer.substring(1).replace('/', '.');
    String type = schema.path("type").asText("");
    if (value.isNull()) {
      if (!schema.path("nullable").asBoolean(false)) {
        out.add(new Violation(pointer, field + ": must not be null"));
      }
      return;
    }
    switch (type) {
      case "object" -> {
        if (!value.isObject()) {
          out.add(new Violation(pointer, field + ": must be an object"));
          return;
        }
        for (JsonNode r : schema.path("required")) {
          if (!value.has(r.asText())) {
            out.add(new Violation(pointer, field + ": " + r.asText() + " is required"));
          }
        }
        sizeOf(schema, value.size(), "Properties", "properties", pointer, field, out);
        JsonNode props = schema.path("properties");
        boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        JsonNode additional = schema.get("additionalProperties");
        Iterator<Map.Entry<String, JsonNode>> it = value.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          String child = pointer + "/" + YamlTree.escape(e.getKey());
          if (props.has(e.getKey())) {
            check(props.get(e.getKey()), e.getValue(), child, out);
          } else if (additional != null && additional.isObject()) {
            check(additional, e.getValue(), child, out);
          } else if (!preserve && props.size() > 0) {
            out.add(
                new Violation(
                    child,
                    field + ": unknown field '" + e.getKey() + "' (the API server drops it)"));
          }
        }
      }
      case "array" -> {
        if (!value.isArray()) {
          out.add(new Violation(pointer, field + ": must be a list"));
          return;
        }
        sizeOf(schema, value.size(), "Items", "items", pointer, field, out);
        for (int i = 0; i < value.size(); i++) {
          check(schema.path("items"), value.get(i), pointer + "/" + i, out);
        }
      }
      case "string" -> {
        if (!value.isTextual()) {
          out.add(new Violation(pointer, field + ": must be a string"));
          return;
        }
        // The API server counts characters (Unicode code points), not UTF-16 units.
        int length = value.asText().codePointCount(0, value.asText().length());
        sizeOf(schema, length, "Length", "characters", pointer, field, out);
        if (schema.has("enum")) {
          boolean ok = false;
          for (JsonNode e : schema.get("enum")) {
            ok |= e.asText().equals(value.asText());
          }
          if (!ok) {
            out.add(
                new Violation(
                    pointer,
                    field + ": '" + value.asText() + "' is not one of " + schema.get("enum")));
          }
        }
        if (schema.has("pattern")
            && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find()) {
          out.add(
              new Violation(
                  pointer,
                  field
                      + ": '"
                      + value.asText()
                      + "' does not match "
                      + schema.get("pattern").asText()));
        }
      }
      case "integer", "number" -> {
        if (!(type.equals("integer") ? value.isIntegralNumber() : value.isNumber())) {
          out.add(new Violation(pointer, field + ": must be a " + type));
          return;
        }
        if (schema.has("minimum") && value.asDouble() < schema.get("minimum").asDouble()) {
          out.add(new Violation(pointer, field + ": must be at least " + schema.get("minimum")));
        }
        if (schema.has("maximum") && value.asDouble() > schema.get("maximum").asDouble()) {
          out.add(new Violation(pointer, field + ": must be at most " + schema.get("maximum")));
        }
      }
      case "boolean" -> {
        if (!value.isBoolean()) {
          out.add(new Violation(pointer, field + ": must be true or false"));
        }
      }
      default -> {
        // untyped (x-kubernetes-preserve-unknown-fields / int-or-string): anything goes
      }
    }
  }

  /** {@code min<What>}/{@code max<What>} of the schema against a size. */
  private static void sizeOf(
      JsonNode schema,
      int size,
      String what,
      String unit,
      String pointer,
      String field,
      List<Violation> out) {
    if (schema.has("max" + what) && size > schema.get("max" + what).asLong()) {
      out.add(
          new Violation(
              pointer,
              field
                  + ": "
                  + size
                  + " "
                  + unit
                  + ", at most "
                  + schema.get("max" + what).asLong()
                  + " allowed"));
    }
    if (schema.has("min" + what) && size < schema.get("min" + what).asLong()) {
      out.add(
          new Violation(
              pointer,
              field
                  + ": "
                  + size
                  + " "
                  + unit
                  + ", at least "
                  + schema.get("min" + what).asLong()
                  + " required"));
    }
  }
}
