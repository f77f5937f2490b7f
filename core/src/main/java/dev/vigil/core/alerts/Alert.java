package dev.vigil.core.alerts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vigil.core.rules.Attack;
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

  /** When an analyst closed it ({@code vigil alerts close}); null when its condition cleared. */
  public String closedTime;

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

  /** The rule's MITRE ATT&CK tactics and techniques, as ECS writes them; null without any. */
  public Threat threat;

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

  /**
   * ECS {@code threat.*}: the framework, tactic ids, technique ids and sub-technique ids (each list
   * distinct, in the rule's order).
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class Threat {
    public static final String FRAMEWORK = "MITRE ATT&CK";

    public String framework = FRAMEWORK;
    public Ids tactic = new Ids();
    public Technique technique = new Technique();

    /** The threat fields of these entries, or null for none. */
    public static Threat of(List<Attack> mitre) {
      if (mitre.isEmpty()) {
        return null;
      }
      Threat threat = new Threat();
      for (Attack attack : mitre) {
        addOnce(threat.tactic.id, attack.tactic());
        addOnce(threat.technique.id, attack.parentTechnique());
        if (attack.isSubtechnique()) {
          if (threat.technique.subtechnique == null) {
            threat.technique.subtechnique = new Ids();
          }
          addOnce(threat.technique.subtechnique.id, attack.technique());
        }
      }
      return threat;
    }

    private static void addOnce(List<String> list, String value) {
      if (value != null && !list.contains(value)) {
        list.add(value);
      }
    }
  }

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class Ids {
    public List<String> id = new ArrayList<>();
  }

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class Technique extends Ids {
    /** Null when no entry names a sub-technique. */
    public Ids subtechnique;
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
