package dev.vigil.core.alerts;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads a dotted field ({@code userIdentity.arn}) from a document's source as text. */
public final class DocumentFields {
  private DocumentFields() {}

  /** The field's value as text, or null when the document lacks it or it is not a scalar. */
  public static String text(JsonNode source, String field) {
    JsonNode node = find(source, field);
    if (node == null || node.isNull() || node.isMissingNode() || node.isContainerNode()) {
      return null;
    }
    return node.asText();
  }

  // Documents nest objects, but a dotted key ("aws.request.bucketName") may also sit flat: try
  // the longest literal key at each level.
  private static JsonNode find(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      return null;
    }
    if (node.has(path)) {
      return node.get(path);
    }
    int dot = path.indexOf('.');
    while (dot > 0) {
      JsonNode child = node.get(path.substring(0, dot));
      if (child != null) {
        JsonNode found = find(child, path.substring(dot + 1));
        if (found != null) {
          return found;
        }
      }
      dot = path.indexOf('.', dot + 1);
    }
    return null;
  }
}
