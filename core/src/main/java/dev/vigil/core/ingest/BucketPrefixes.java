package dev.vigil.core.ingest;

import java.util.List;

/**
 * Vigil's own folders in a log bucket: the operator points each ingester at them, the ingester
 * writes there and never scans them as logs.
 */
public final class BucketPrefixes {
  /** Documents, records and objects that can never be indexed. */
  public static final String DEAD_LETTERS = "vigil-dead-letters/";

  /** What a scanning ingester has ingested, so a restarted pod resumes. */
  public static final String CHECKPOINTS = "vigil-checkpoints/";

  /** Both: never listed as logs. */
  public static final List<String> OWN = List.of(DEAD_LETTERS, CHECKPOINTS);

  private BucketPrefixes() {}

  /** The dead-letter prefix of one LogSource: {@code vigil-dead-letters/<namespace>/<name>/}. */
  public static String deadLetters(String namespace, String name) {
    return DEAD_LETTERS + namespace + "/" + name + "/";
  }

  /**
   * The scan checkpoint key of one LogSource: {@code
   * vigil-checkpoints/<namespace>/<name>/scan.json}.
   */
  public static String scanCheckpoint(String namespace, String name) {
    return CHECKPOINTS + namespace + "/" + name + "/scan.json";
  }
}
