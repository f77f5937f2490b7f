package dev.vigil.core.snapshot;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Names of a policy's snapshots: {@code <policy>-<yyyy.MM.dd-HH.mm>} for the run scheduled at that
 * minute (so a retried run finds the snapshot it already started instead of taking a second), and
 * the Snapshot Management plugin's {@code <policy>-<date>-<random>} with the same date format. One
 * pattern recognises both, and tells a policy's snapshots from those of a policy whose name merely
 * starts the same way.
 */
public final class SnapshotNames {
  /** The date format of snapshot names, in OpenSearch (Java) date-format syntax as well. */
  public static final String DATE_FORMAT = "yyyy.MM.dd-HH.mm";

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern(DATE_FORMAT, Locale.ROOT).withZone(ZoneOffset.UTC);

  private final String policy;
  private final Pattern ours;

  public SnapshotNames(String policy) {
    if (!policy.matches("[a-z0-9][a-z0-9._-]*")) {
      throw new IllegalArgumentException(
          "snapshot policy name '" + policy + "' must be lowercase letters, digits, '.', '_', '-'");
    }
    this.policy = policy;
    this.ours =
        Pattern.compile(
            Pattern.quote(policy) + "-\\d{4}\\.\\d{2}\\.\\d{2}-\\d{2}\\.\\d{2}(-[a-z0-9]+)?");
  }

  /**
   * The policy's name in OpenSearch, e.g. {@code vigil-security-nightly}: unique per namespace and
   * SnapshotPolicy.
   */
  public static SnapshotNames forPolicy(String namespace, String name) {
    return new SnapshotNames("vigil-" + namespace + "-" + name);
  }

  public String policy() {
    return policy;
  }

  /** A wildcard that lists the policy's snapshots (and maybe a few others: filter with owns). */
  public String wildcard() {
    return policy + "-*";
  }

  public String forRun(Instant scheduled) {
    return policy + "-" + DATE.format(scheduled);
  }

  public boolean owns(String snapshot) {
    return ours.matcher(snapshot).matches();
  }
}
