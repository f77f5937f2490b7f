package dev.vigil.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A document as the parsers wrote it for this layout: a CloudTrail document (logType
   * "cloudtrail") gets back the ECS copies the parser wrote until they became field aliases of
   * today's mapping — {@code event.provider}, {@code event.action}, {@code event.id} from {@code
   * eventSource}, {@code eventName}, {@code eventID}; {@code cloud.account.id} from {@code
   * recipientAccountId}, else {@code userIdentity.accountId}; {@code cloud.region} from {@code
   * awsRegion}; {@code user_agent.original} from {@code userAgent} (string values only, as the
   * parser copied them). Other documents are returned as they are.
   */
  public static byte[] document(String logType, byte[] source) {
    if (!logType.equals("cloudtrail")) {
      return source;
    }
    try {
      ObjectNode doc = (ObjectNode) JSON.readTree(source);
      ObjectNode event = doc.with("event");
      copy(doc.get("eventSource"), event, "provider");
      copy(doc.get("eventName"), event, "action");
      copy(doc.get("eventID"), event, "id");
      ObjectNode cloud = doc.with("cloud");
      JsonNode account = doc.get("recipientAccountId");
      if (account == null || !account.isTextual()) {
        account = doc.path("userIdentity").get("accountId");
      }
      if (account != null && account.isTextual()) {
        cloud.putObject("account").set("id", account);
      }
      copy(doc.get("awsRegion"), cloud, "region");
      if (doc.path("userAgent").isTextual()) {
        doc.putObject("user_agent").set("original", doc.get("userAgent"));
      }
      return JSON.writeValueAsBytes(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copy(JsonNode value, ObjectNode into, String name) {
    if (value != null && value.isTextual()) {
      into.set(name, value);
    }
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
