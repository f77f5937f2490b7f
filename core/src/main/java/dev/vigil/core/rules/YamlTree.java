package dev.vigil.core.rules;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a Jackson tree plus the line of every node, addressed by JSON pointer ({@code
 * /detection/selection/eventName}), so errors can name the line they come from.
 */
public final class YamlTree {
  private static final YAMLFactory YAML = new YAMLFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final JsonNode root;
  private final Map<String, Integer> lines;
  private final int firstLine;

  private YamlTree(JsonNode root, Map<String, Integer> lines, int firstLine) {
    this.root = root;
    this.lines = lines;
    this.firstLine = firstLine;
  }

  public JsonNode root() {
    return root;
  }

  /** Line of the node at {@code pointer}, else of its closest ancestor, else the document's. */
  public int line(String pointer) {
    String p = pointer;
    while (true) {
      Integer line = lines.get(p);
      if (line != null) {
        return line;
      }
      int slash = p.lastIndexOf('/');
      if (slash < 0) {
        return firstLine;
      }
      p = p.substring(0, slash);
    }
  }

  /** Parses one YAML document (the first, if there are several). */
  public static YamlTree parse(String yaml) {
    List<YamlTree> all = parseAll(yaml);
    if (all.isEmpty()) {
      throw new RuleException("empty YAML document", 1);
    }
    return all.get(0);
  }

  /** Parses every document of a multi-document YAML stream ({@code ---} separated). */
  public static List<YamlTree> parseAll(String yaml) {
    List<YamlTree> documents = new ArrayList<>();
    try (JsonParser parser = YAML.createParser(yaml)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        Map<String, Integer> lines = new HashMap<>();
        int first = line(parser.currentTokenLocation());
        JsonNode root = read(parser, token, "", lines);
        if (!root.isNull()) {
          documents.add(new YamlTree(root, lines, first));
        }
      }
    } catch (IOException e) {
      int line =
          e instanceof com.fasterxml.jackson.core.JsonProcessingException p
                  && p.getLocation() != null
              ? line(p.getLocation())
              : -1;
      throw new RuleException("not valid YAML: " + e.getMessage().split("\n")[0], line);
    }
    return documents;
  }

  private static JsonNode read(
      JsonParser parser, JsonToken token, String pointer, Map<String, Integer> lines)
      throws IOException {
    lines.putIfAbsent(pointer, line(parser.currentTokenLocation()));
    switch (token) {
      case START_OBJECT -> {
        ObjectNode object = NODES.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          String child = pointer + "/" + escape(name);
          lines.put(child, line(parser.currentTokenLocation()));
          JsonToken value = parser.nextToken();
          object.set(name, read(parser, value, child, lines));
        }
        return object;
      }
      case START_ARRAY -> {
        ArrayNode array = NODES.arrayNode();
        int i = 0;
        JsonToken t;
        while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
          array.add(read(parser, t, pointer + "/" + i++, lines));
        }
        return array;
      }
      case VALUE_STRING -> {
        return NODES.textNode(parser.getText());
      }
      case VALUE_NUMBER_INT -> {
        return NODES.numberNode(parser.getBigIntegerValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        // Keep the text as written: Sigma "1.10" is a string to match, not 1.1.
        return NODES.numberNode(parser.getDecimalValue());
      }
      case VALUE_TRUE -> {
        return NODES.booleanNode(true);
      }
      case VALUE_FALSE -> {
        return NODES.booleanNode(false);
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> throw new IOException("unexpected YAML token " + token);
    }
  }

  private static int line(JsonLocation location) {
    return location == null ? -1 : location.getLineNr();
  }

  /** JSON pointer escaping of one path segment. */
  public static String escape(String segment) {
    return segment.replace("~", "~0").replace("/", "~1");
  }
}
