package dev.vigil.core.dashboards;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

/**
 * Stable saved-object ids derived from the Dashboard resource (namespace and name) and the object's
 * role in it, so every sync addresses the same objects, renaming a title never duplicates them, and
 * two resources never collide. Name-based UUIDs (RFC 4122 version 3), the id shape Dashboards uses.
 */
public final class SavedObjectIds {
  private SavedObjectIds() {}

  public static String of(String namespace, String name, String type, String object) {
    String key = "vigil/" + namespace + "/" + name + "/" + type + "/" + object;
    return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** A lower-case slug of a title, for keying objects by title. */
  public static String slug(String title) {
    String slug =
        title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    return slug.isEmpty() ? "untitled" : slug;
  }
}
