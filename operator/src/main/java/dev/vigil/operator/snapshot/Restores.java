package dev.vigil.operator.snapshot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.api.v1alpha1.SnapshotPolicy;
import dev.vigil.api.v1alpha1.SnapshotPolicyStatus.RestoreStatus;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.IndexNaming;
import dev.vigil.core.snapshot.IndexPartitions;
import dev.vigil.core.snapshot.SnapshotInfo;
import dev.vigil.operator.common.InvalidSpecException;
import dev.vigil.operator.opensearch.OpenSearchException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Restores one day's time-partitioned indices from the newest successful snapshot of the policy
 * that holds them, renamed with the {@code restored-} prefix so they never collide with live
 * indices (nor match {@code vigil-*} patterns of snapshots, retention or templates). Indices
 * already restored are skipped, so asking twice is harmless.
 */
public final class Restores {
  private Restores() {}

  /** The day from the annotation's value. */
  public static LocalDate day(String value) throws InvalidSpecException {
    try {
      return LocalDate.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new InvalidSpecException(
          "annotation "
              + SnapshotPolicy.RESTORE_ANNOTATION
              + ": '"
              + value
              + "' is not a day like 2026-11-01");
    }
  }

  /**
   * Index patterns from a comma-separated list of log types ({@code cloudtrail}) and patterns
   * ({@code vigil-waf-*}); all Vigil indices when empty.
   */
  public static List<String> patterns(String list) {
    List<String> patterns = new ArrayList<>();
    if (list != null) {
      for (String item : list.split(",")) {
        String trimmed = item.trim();
        if (!trimmed.isEmpty()) {
          Optional<LogType> type = LogType.fromId(trimmed);
          patterns.add(type.map(t -> IndexNaming.defaults().pattern(t)).orElse(trimmed));
        }
      }
    }
    return patterns.isEmpty() ? List.of(IndexNaming.DEFAULT_PREFIX + "-*") : patterns;
  }

  public static RestoreStatus restore(
      SnapshotApi api,
      PolicySettings settings,
      List<SnapshotInfo> snapshots,
      LocalDate day,
      String indicesAnnotation)
      throws OpenSearchException {
    RestoreStatus status = new RestoreStatus();
    status.date = day.toString();
    status.indices = indicesAnnotation;
    List<Pattern> wanted = patterns(indicesAnnotation).stream().map(Globs::compile).toList();
    Optional<SnapshotInfo> source =
        snapshots.stream()
            .filter(SnapshotInfo::succeeded)
            .filter(s -> !ofDay(s.indices(), day, wanted).isEmpty())
            .max(Comparator.comparing(SnapshotInfo::start));
    if (source.isEmpty()) {
      status.state = "NothingToRestore";
      status.message =
          "no successful snapshot of this policy holds indices of "
              + day
              + " matching "
              + String.join(",", patterns(indicesAnnotation));
      return status;
    }
    SnapshotInfo snapshot = source.get();
    List<String> indices = ofDay(snapshot.indices(), day, wanted);
    Set<String> existing = new HashSet<>(api.indices(SnapshotPolicy.RESTORED_PREFIX + "*"));
    List<String> missing =
        indices.stream()
            .filter(i -> !existing.contains(SnapshotPolicy.RESTORED_PREFIX + i))
            .toList();
    if (!missing.isEmpty()) {
      ObjectNode body = SnapshotApi.JSON.createObjectNode();
      body.put("indices", String.join(",", missing));
      body.put("ignore_unavailable", true);
      body.put("include_global_state", false);
      body.put("include_aliases", false);
      body.put("rename_pattern", "(.+)");
      body.put("rename_replacement", SnapshotPolicy.RESTORED_PREFIX + "$1");
      api.restore(settings.repository(), snapshot.name(), body);
    }
    status.snapshot = snapshot.name();
    status.restoredIndices = indices.stream().map(i -> SnapshotPolicy.RESTORED_PREFIX + i).toList();
    status.state = "Restored";
    status.message =
        "restored "
            + indices.size()
            + " index(es) of "
            + day
            + " from "
            + snapshot.name()
            + (missing.size() < indices.size()
                ? " (" + (indices.size() - missing.size()) + " were restored before)"
                : "");
    return status;
  }

  private static List<String> ofDay(List<String> indices, LocalDate day, List<Pattern> wanted) {
    return indices.stream()
        .filter(i -> IndexPartitions.day(i).map(day::equals).orElse(false))
        .filter(i -> wanted.stream().anyMatch(p -> p.matcher(i).matches()))
        .sorted()
        .toList();
  }
}
