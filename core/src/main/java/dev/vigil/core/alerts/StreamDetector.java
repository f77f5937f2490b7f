package dev.vigil.core.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.Members;
import dev.vigil.core.parse.ParsedDocument;
import dev.vigil.core.rules.CompiledRule;
import dev.vigil.core.rules.FieldReader.Values;
import dev.vigil.core.rules.FieldTypes;
import dev.vigil.core.rules.QueryEvaluator;
import dev.vigil.core.rules.RuleCompiler;
import dev.vigil.core.rules.RuleException;
import dev.vigil.core.rules.RuleManifest;
import dev.vigil.core.rules.RuleMatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Per-event detection for the ingester's stream: the rules that can decide on one document alone
 * (every-match rules of a known log type whose query the in-memory evaluator supports) are run on
 * each normalized document before it is indexed. A match becomes the alert the scheduled engine
 * would raise for it — same rule key, same suppression bucket, so the same deterministic id — with
 * {@code source: stream}. Counting rules stay with the schedule. The rules of each log type run
 * through a {@link RuleMatcher}: a document meets only the rules it can match.
 */
public final class StreamDetector {
  public static final String STREAM = "stream";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A rule the stream runs. */
  public record StreamRule(CompiledRule compiled, AlertRule alerts) {}

  /** Rules taken, and why the others were not. */
  public record Selection(List<StreamRule> rules, List<String> skipped) {}

  private final Map<LogType, List<StreamRule>> byType = new EnumMap<>(LogType.class);
  private final Map<LogType, RuleMatcher> matchers = new EnumMap<>(LogType.class);

  /** Per log type and rule: its alert key's fields, as the matcher reads them. */
  private final Map<LogType, KeyFields[]> keyFields = new EnumMap<>(LogType.class);

  /**
   * A rule's alert key fields, sorted by name, with their ids in the matcher: the key ({@link
   * RecentAlerts.Key}) is made from the values the matcher read, with no name built or map made.
   */
  private record KeyFields(String rule, int[] ids) {
    static KeyFields of(AlertRule rule, RuleMatcher matcher) {
      String[] names = new java.util.TreeSet<>(rule.key()).toArray(String[]::new);
      int[] ids =
          java.util.Arrays.stream(names).map(rule::read).mapToInt(matcher::keyField).toArray();
      return new KeyFields(RecentAlerts.Key.rule(rule), ids);
    }

    /** As {@code RecentAlerts.key(rule, key)}; null when a field has several values. */
    RecentAlerts.Key key(Values doc) {
      String[] values = new String[ids.length];
      for (int i = 0; i < ids.length; i++) {
        int value = doc.first(ids[i]);
        if (value != 0 && doc.next(value) != 0) {
          return null;
        }
        values[i] = value == 0 ? "" : doc.text(value);
      }
      return new RecentAlerts.Key(rule, values);
    }
  }

  // The positions of the rules one document matches, per parsing thread (no list per document).
  private final ThreadLocal<int[]> matched;

  public StreamDetector(List<StreamRule> rules) {
    for (StreamRule rule : rules) {
      byType.computeIfAbsent(rule.compiled().logType(), t -> new ArrayList<>()).add(rule);
    }
    byType.forEach(
        (type, list) -> {
          RuleMatcher matcher =
              new RuleMatcher(
                  list.stream().map(StreamRule::compiled).toList(), FieldTypes.of(type));
          matchers.put(type, matcher);
          keyFields.put(
              type,
              list.stream().map(r -> KeyFields.of(r.alerts(), matcher)).toArray(KeyFields[]::new));
        });
    int most = byType.values().stream().mapToInt(List::size).max().orElse(0);
    matched = ThreadLocal.withInitial(() -> new int[most]);
  }

  /** Whether any rule reads documents of this type (if not, the document need not be parsed). */
  public boolean watches(LogType type) {
    return byType.containsKey(type);
  }

  /**
   * The top-level names this type's rules read under (for {@link
   * dev.vigil.core.parse.DocumentSink#memberNames}); null when no rule reads the type.
   */
  public String[] memberNames(LogType type) {
    RuleMatcher matcher = matchers.get(type);
    return matcher == null ? null : matcher.memberNames();
  }

  public int size() {
    return byType.values().stream().mapToInt(List::size).sum();
  }

  /** The alerts one document (a JSON tree) raises, one per matching rule. */
  public List<Alert> inspect(LogType type, String documentId, JsonNode document, Instant now) {
    RuleMatcher matcher = matchers.get(type);
    if (matcher == null) {
      return List.of();
    }
    List<Integer> matching;
    try {
      matching = matcher.matching(matcher.read(JSON.treeAsTokens(document)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return alerts(type, matching, documentId, document, now);
  }

  /**
   * The alerts one document raises, read from its JSON source ({@code source[0, length)}): only the
   * fields rules read are pulled from it, and a tree is built only for a document that matches.
   */
  public List<Alert> inspect(
      LogType type, String documentId, byte[] source, int length, Instant now) {
    List<Integer> matching = matching(type, source, length);
    if (matching.isEmpty()) {
      return List.of();
    }
    try {
      return alerts(type, matching, documentId, JSON.readTree(source, 0, length), now);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The alerts one parsed document raises, leaving out the matches whose alert key {@code recent}
   * holds (so an alert is built only when it will be written): the document's fields are read only
   * as rules ask for them, going straight to its top-level members when the parser noted them, and
   * a tree is built only for an alert. The source is read where the parser wrote it (no copy), so
   * call this while the document is valid (during the sink's call). A document no rule matches
   * costs the matcher's reads and tests only: no list, no time, no key.
   */
  public List<Alert> inspect(ParsedDocument document, Clock clock, RecentAlerts recent) {
    LogType type = document.type();
    RuleMatcher matcher = matchers.get(type);
    if (matcher == null) {
      return List.of();
    }
    byte[] source = document.sourceBuffer();
    int length = document.sourceLength();
    try {
      Values doc = matcher.read(source, length, document.members());
      int[] matching = this.matched.get();
      int count = matcher.matching(doc, matching);
      if (count == 0) {
        return List.of();
      }
      Instant now = clock.instant();
      List<StreamRule> rules = byType.get(type);
      KeyFields[] keys = keyFields.get(type);
      JsonNode tree = null;
      List<Alert> out = List.of();
      for (int m = 0; m < count; m++) {
        int index = matching[m];
        AlertRule rule = rules.get(index).alerts();
        RecentAlerts.Key key = keys[index].key(doc);
        if (key == null) { // a key field read more than once (dotted keys): as the engine reads it
          tree = tree == null ? JSON.readTree(source, 0, length) : tree;
          key = RecentAlerts.key(rule, Triggers.keyOf(rule, tree));
        }
        if (!recent.claim(key, now)) {
          continue;
        }
        tree = tree == null ? JSON.readTree(source, 0, length) : tree;
        out = out.isEmpty() ? new ArrayList<>() : out;
        out.add(alert(rules.get(index), document.id(), tree, now));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The positions (among this type's rules) of the rules the document's source matches. */
  public List<Integer> matching(LogType type, byte[] source, int length) {
    return matching(type, source, length, null);
  }

  /**
   * As {@link #matching(LogType, byte[], int)}, reading only the top-level members rules ask for
   * ({@code members}: where they start, as the parser noted; null to read the whole source).
   */
  public List<Integer> matching(LogType type, byte[] source, int length, Members members) {
    RuleMatcher matcher = matchers.get(type);
    if (matcher == null) {
      return List.of();
    }
    try {
      return matcher.matching(matcher.read(source, length, members));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<Alert> alerts(
      LogType type, List<Integer> matching, String documentId, JsonNode document, Instant now) {
    List<StreamRule> rules = byType.get(type);
    List<Alert> out = new ArrayList<>();
    for (int index : matching) {
      out.add(alert(rules.get(index), documentId, document, now));
    }
    return out;
  }

  private static Alert alert(StreamRule rule, String documentId, JsonNode document, Instant now) {
    Instant at = Triggers.timestamp(document);
    Trigger trigger =
        new Trigger(
            Triggers.keyOf(rule.alerts(), document),
            1,
            at == null ? now : at,
            List.of(documentId),
            document);
    Alert alert = AlertLifecycle.newAlert(rule.alerts(), trigger, AlertLifecycle.time(now));
    alert.source = STREAM;
    return alert;
  }

  /**
   * The stream rules among DetectionRule manifests, with their alert side taken from the same
   * {@link dev.vigil.core.rules.RuleDefinition} the operator runs (severity, tags, message,
   * suppression).
   */
  public static Selection select(List<RuleManifest> manifests, RuleCompiler compiler) {
    List<StreamRule> rules = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (RuleManifest manifest : manifests) {
      String name = manifest.name();
      try {
        CompiledRule compiled = manifest.compile(compiler);
        if (compiled.condition() != null) {
          skipped.add(name + ": counts over a window (scheduled engine only)");
          continue;
        }
        if (compiled.firstSeen() != null) {
          skipped.add(
              name + ": first seen needs the history before the window (scheduled engine only)");
          continue;
        }
        if (compiled.logType() == null) {
          skipped.add(name + ": reads an index pattern, not a log type");
          continue;
        }
        // A query the evaluator cannot run fails on any document: try it on an empty one.
        new QueryEvaluator(FieldTypes.of(compiled.logType()))
            .matches(compiled.query(), JSON.createObjectNode());
        rules.add(new StreamRule(compiled, AlertRule.of(manifest.definition(), compiled)));
      } catch (RuleException e) {
        skipped.add(name + ": " + e.getMessage());
      }
    }
    return new Selection(rules, skipped);
  }
}
