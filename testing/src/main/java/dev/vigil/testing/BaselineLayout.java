package dev.vigil.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Vigil's index templates as they were before issue #16 cut their cost (rendered from commit {@code
 * a1507f9} by {@code IndexTemplates} and frozen here): the "old layout" the storage benchmark and
 * the same-answers test compare today's templates with. A measurement baseline, not a default —
 * nothing outside tests and benchmarks installs it.
 */
public final class BaselineLayout {
  private static final String FROZEN_PREFIX = "baseline";

  private final String prefix;

  /** The layout installed for indices {@code <prefix>-<type>-*}. */
  public BaselineLayout(String prefix) {
    this.prefix = prefix;
  }

  public String componentName() {
    return prefix + "-ecs";
  }

  public String templateName(String logType) {
    return prefix + "-" + logType;
  }

  /** Body of {@code PUT _component_template/<componentName()>}. */
  public String componentTemplate() {
    return read("component");
  }

  /** Body of {@code PUT _index_template/<templateName(logType)>}; logType as in LogType.id(). */
  public String indexTemplate(String logType) {
    return read(logType)
        .replace("\"" + FROZEN_PREFIX + "-ecs\"", "\"" + componentName() + "\"")
        .replace(
            "\"" + FROZEN_PREFIX + "-" + logType + "-*\"", "\"" + prefix + "-" + logType + "-*\"");
  }

  private static String read(String name) {
    String resource = "baseline-layout/" + name + ".json";
    try (InputStream in = BaselineLayout.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no baseline template " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
