package dev.vigil.core.alerts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One alert document in {@code vigil-alerts}. Times are RFC 3339 strings (what the index maps as
 * dates); {@code @timestamp} is the start time, so Dashboards sorts alerts by when they began.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public final class Alert {
  /** At most this many matching document ids are kept per alert. */
  public static final int MAX_DOCUMENT_IDS = 100;

  public String id;

  @JsonProperty("@timestamp")
  public String timestamp;

  public Rule rule = new Rule();
  public int severity;
  public String trigger;
  public AlertState state;

  /** The values that tell this alert apart from the rule's other alerts (groupBy/suppression). */
  public Map<String, String> key = new LinkedHashMap<>();

  public String startTime;
  public String lastSeenTime;
  public String endTime;
  public String acknowledgedTime;

  /**
   * When the rule's channels were told (by the operator's engine); null for an alert the stream
   * raised that the engine has not sent yet.
   */
  public String notifiedTime;

  public long count;
  public List<String> matchingDocumentIds = new ArrayList<>();
  public String message;
  public String errorMessage;
  public List<String> tags = new ArrayList<>();

  /**
   * Which path raised it: {@code scheduled} (the engine's run) or {@code stream} (the ingester).
   */
  public String source;

  /** The DetectionRule an alert belongs to. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class Rule {
    public String namespace;
    public String name;
  }

  /** Adds document ids, keeping the first {@link #MAX_DOCUMENT_IDS} distinct ones. */
  public void addDocumentIds(List<String> ids) {
    for (String id : ids) {
      if (matchingDocumentIds.size() >= MAX_DOCUMENT_IDS) {
        return;
      }
      if (!matchingDocumentIds.contains(id)) {
        matchingDocumentIds.add(id);
      }
    }
  }
}
