package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a CRD's {@code x-kubernetes-validations} rules offline with CEL (dev.cel, Google's Java
 * implementation), so {@code vigil validate} rejects what the API server would reject.
 *
 * <p>{@code self} is the object as the API server shows it to CEL: fields the schema declares,
 * typed by the schema (integer → int, number → double); the contents of schemaless ({@code
 * x-kubernetes-preserve-unknown-fields}) objects are invisible, as on the server. Kubernetes' CEL
 * extension libraries (quantity, url, ip, lists, regex extensions...) are not loaded; a rule that
 * needs one is reported as not checked rather than guessed. A transition rule ({@code oldSelf})
 * holds: manifests are checked as they are created, and the API server runs transition rules only
 * on updates.
 */
final class CelRules {
  /** A rule's outcome on one object: null when it holds. */
  record Failure(String message, boolean notChecked) {}

  private final Cel cel =
      CelFactory.standardCelBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .build();
  private final Map<String, Object> programs = new HashMap<>();

  /**
   * Evaluates one validation rule of {@code schema} on {@code value}; null when it holds.
   *
   * @param validation one item of x-kubernetes-validations ({rule, message})
   */
  Failure check(JsonNode validation, JsonNode schema, JsonNode value) {
    String rule = validation.path("rule").asText("");
    String message =
        validation.has("message")
            ? validation.get("message").asText()
            : "failed rule: " + rule.replaceAll("\\s+", " ");
    if (rule.contains("oldSelf")) {
      return null;
    }
    Object program = programs.computeIfAbsent(rule, this::compile);
    if (program instanceof String problem) {
      return new Failure("CEL rule not checked offline (" + problem + "): " + rule, true);
    }
    try {
      Object result = ((CelRuntime.Program) program).eval(Map.of("self", toCel(schema, value)));
      if (Boolean.TRUE.equals(result)) {
        return null;
      }
      return new Failure(message, false);
    } catch (CelEvaluationException e) {
      // The API server rejects the object when a rule errors (e.g. no such key): so do we.
      return new Failure(message + " (CEL error: " + e.getMessage() + ")", false);
    }
  }

  /** A program, or the reason the rule does not compile here. */
  private Object compile(String rule) {
    try {
      CelAbstractSyntaxTree ast = cel.compile(rule).getAst();
      return cel.createProgram(ast);
    } catch (CelValidationException | RuntimeException e) {
      return "it needs what this CEL environment lacks: "
          + e.getMessage().lines().findFirst().orElse("");
    } catch (dev.cel.common.CelException e) {
      return e.getMessage();
    }
  }

  /** The value as CEL sees it, shaped by its schema. */
  static Object toCel(JsonNode schema, JsonNode value) {
    if (value == null || value.isNull()) {
      return dev.cel.common.values.NullValue.NULL_VALUE;
    }
    String type = schema.path("type").asText("");
    switch (type) {
      case "object" -> {
        Map<String, Object> out = new LinkedHashMap<>();
        JsonNode props = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        Iterator<Map.Entry<String, JsonNode>> it = value.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          if (props.has(e.getKey())) {
            out.put(e.getKey(), toCel(props.get(e.getKey()), e.getValue()));
          } else if (additional != null
              && additional.isObject()
              && additional.has("type")
              && !schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            out.put(e.getKey(), toCel(additional, e.getValue()));
          }
          // else: an unknown field of a schemaless object, invisible to CEL on the server too
        }
        return out;
      }
      case "array" -> {
        List<Object> out = new ArrayList<>();
        value.forEach(v -> out.add(toCel(schema.path("items"), v)));
        return out;
      }
      case "integer" -> {
        return value.asLong();
      }
      case "number" -> {
        return value.asDouble();
      }
      case "boolean" -> {
        return value.asBoolean();
      }
      case "string" -> {
        return value.asText();
      }
      default -> {
        // int-or-string and untyped values: as written
        if (value.isIntegralNumber()) {
          return value.asLong();
        }
        if (value.isNumber()) {
          return value.asDouble();
        }
        if (value.isBoolean()) {
          return value.asBoolean();
        }
        if (value.isTextual()) {
          return value.asText();
        }
        return new LinkedHashMap<String, Object>();
      }
    }
  }
}
