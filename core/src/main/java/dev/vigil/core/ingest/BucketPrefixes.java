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

  /**
   * The dead-letter prefix of one LogReplay: {@code
   * vigil-dead-letters/<namespace>/logreplays/<name>/} (apart from the LogSources' of the
   * namespace).
   */
  public static String replayDeadLetters(String namespace, String name) {
    return DEAD_LETTERS + namespace + "/logreplays/" + name + "/";
  }

  /**
   * The checkpoint key of one LogReplay: {@code
   * vigil-checkpoints/<namespace>/logreplays/<name>/<uid>.json}. The uid keeps a LogReplay created
   * again under the same name (another range) from finding the old one's checkpoint, which the
   * ingester would refuse as another job's.
   */
  public static String replayCheckpoint(String namespace, String name, String uid) {
    return CHECKPOINTS + namespace + "/logreplays/" + name + "/" + uid + ".json";
  }
}
