package dev.vigil.core.parse;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/** Token-level helpers for copying JSON while picking out a few values, without building a tree. */
public final class JsonCopy {
  private JsonCopy() {}

  /**
   * Copies the object the parser is on (current token START_OBJECT) to {@code out}, and puts the
   * text of its direct scalar children named in {@code wanted} into {@code captured}.
   */
  public static void copyObjectCapturing(
      JsonParser in, JsonGenerator out, Set<String> wanted, Map<String, String> captured)
      throws IOException {
    out.writeStartObject();
    JsonToken token;
    while ((token = in.nextToken()) == JsonToken.FIELD_NAME) {
      String name = in.currentName();
      out.writeFieldName(name);
      token = in.nextToken();
      if (token.isScalarValue() && wanted.contains(name) && token != JsonToken.VALUE_NULL) {
        captured.put(name, in.getText());
      }
      out.copyCurrentStructure(in);
    }
    expect(in, token, JsonToken.END_OBJECT);
    out.writeEndObject();
  }

  /**
   * The text of a scalar value, or null for JSON null and for objects/arrays (which are skipped).
   */
  public static String scalarText(JsonParser in) throws IOException {
    JsonToken token = in.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token.isScalarValue()) {
      return in.getText();
    }
    return null;
  }

  public static void expect(JsonParser in, JsonToken actual, JsonToken expected)
      throws IOException {
    if (actual != expected) {
      throw new com.fasterxml.jackson.core.JsonParseException(
          in, "expected " + expected + " but found " + actual, in.currentLocation());
    }
  }

  /**
   * True for text that can only be an IPv4 or IPv6 address (CloudTrail puts service names in
   * sourceIPAddress).
   */
  public static boolean looksLikeIp(CharSequence text) {
    if (text == null || text.isEmpty() || text.length() > 45) {
      return false;
    }
    boolean colon = false;
    boolean letter = false;
    int dots = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ':') {
        colon = true;
      } else if (c == '.') {
        dots++;
      } else if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
        letter = true;
      } else if (c < '0' || c > '9') {
        return false;
      }
    }
    return colon || (dots == 3 && !letter);
  }
}
