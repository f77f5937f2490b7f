package dev.vigil.core.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The one place that names what Vigil creates in the Alerting and Notifications plugins, and the
 * marker that tells Vigil's objects from foreign ones.
 *
 * <p>Monitors: the name {@code vigil/<namespace>/<rule>} (searchable: the scheduled-jobs index maps
 * {@code monitor.name.keyword}) plus {@code ui_metadata.vigil} = {managed_by, resource, hash}
 * ({@code ui_metadata} is stored and returned, but not indexed, so it cannot be searched on).
 * Channel configs: a deterministic {@code config_id} and the marker in the description.
 */
public final class VigilMarker {
  public static final String MANAGED_BY = "vigil";
  public static final String UI_METADATA = "ui_metadata";
  public static final String KEY = "vigil";

  private VigilMarker() {}

  /** Longest monitor name kept whole: the index maps {@code monitor.name.keyword} up to 256. */
  static final int MAX_NAME = 200;

  /**
   * Stable monitor name for a DetectionRule: {@code vigil/<namespace>/<rule>}, or, when that is
   * longer than {@value #MAX_NAME} characters (a keyword longer than 256 would not be indexed, and
   * the monitor could never be found again), its start plus a digest of the whole.
   */
  public static String monitorName(String namespace, String rule) {
    String name = "vigil/" + namespace + "/" + rule;
    if (name.length() <= MAX_NAME) {
      return name;
    }
    return name.substring(0, MAX_NAME - 17) + "~" + digest(name, 16);
  }

  /** {@code <namespace>/<name>}: the Kubernetes resource an object belongs to. */
  public static String resource(String namespace, String name) {
    return namespace + "/" + name;
  }

  /** The {@code ui_metadata} object stored in a Vigil monitor. */
  public static ObjectNode uiMetadata(String namespace, String rule, String hash) {
    ObjectNode ui = JsonNodeFactory.instance.objectNode();
    ui.putObject(KEY)
        .put("managed_by", MANAGED_BY)
        .put("resource", resource(namespace, rule))
        .put("hash", hash);
    return ui;
  }

  /** The marker of a monitor as read back (its source), or a missing node. */
  public static JsonNode markerOf(JsonNode monitor) {
    return monitor.path(UI_METADATA).path(KEY);
  }

  /** True when the monitor carries Vigil's marker for exactly this resource. */
  public static boolean isOurs(JsonNode monitor, String namespace, String rule) {
    JsonNode marker = markerOf(monitor);
    return MANAGED_BY.equals(marker.path("managed_by").asText())
        && resource(namespace, rule).equals(marker.path("resource").asText());
  }

  /**
   * Stable Notifications {@code config_id} for a NotificationChannel: readable, and unique per
   * namespace/name (a short digest keeps {@code a-b/c} and {@code a/b-c} apart).
   */
  public static String channelConfigId(String namespace, String name) {
    return ("vigil-" + namespace + "-" + name + "-" + digest(resource(namespace, name), 8))
        .toLowerCase(Locale.ROOT);
  }

  /** Short stable id (trigger and action ids inside a monitor). */
  public static String digest(String text, int hexChars) {
    try {
      byte[] sha =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha).substring(0, hexChars);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
