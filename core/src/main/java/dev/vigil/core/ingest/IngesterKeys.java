package dev.vigil.core.ingest;

import java.util.List;

/**
 * The configuration keys the operator writes into an ingester's {@code application.properties} and
 * the ingester reads ({@code IngesterConfig} maps them, in the ingester module). Both sides use
 * these constants; a test in each module holds them together: the operator writes no key outside
 * {@link #ALL}, and the ingester maps every key in it.
 */
public final class IngesterKeys {
  /** The prefix of every key (a compile-time constant, so annotations can name it). */
  public static final String PREFIX = "vigil.ingester";

  private static final String P = PREFIX + ".";

  /** {@code queue} (default), {@code scan} or {@code replay}. */
  public static final String MODE = P + "mode";

  public static final String DETECTION_RULES = P + "detection.rules";

  public static final String SCAN_BUCKET = P + "scan.bucket";
  public static final String SCAN_PREFIX = P + "scan.prefix";
  public static final String SCAN_SUFFIX = P + "scan.suffix";
  public static final String SCAN_INTERVAL = P + "scan.interval";
  public static final String SCAN_LOG_TYPE = P + "scan.log-type";
  public static final String SCAN_CHECKPOINT = P + "scan.checkpoint";

  public static final String REPLAY_BUCKET = P + "replay.bucket";
  public static final String REPLAY_PREFIX = P + "replay.prefix";
  public static final String REPLAY_FROM = P + "replay.from";
  public static final String REPLAY_TO = P + "replay.to";
  public static final String REPLAY_INDEX_PREFIX = P + "replay.index-prefix";
  public static final String REPLAY_LOG_TYPE = P + "replay.log-type";
  public static final String REPLAY_CHECKPOINT = P + "replay.checkpoint";

  public static final String AWS_REGION = P + "aws.region";
  public static final String AWS_ENDPOINT_OVERRIDE = P + "aws.endpoint-override";
  public static final String AWS_S3_PATH_STYLE = P + "aws.s3-path-style";
  public static final String AWS_ROLE_ARN = P + "aws.role-arn";
  public static final String AWS_EXTERNAL_ID = P + "aws.external-id";

  public static final String DEAD_LETTER_S3_BUCKET = P + "dead-letter.s3-bucket";
  public static final String DEAD_LETTER_S3_PREFIX = P + "dead-letter.s3-prefix";

  public static final String INDEX_PREFIX = P + "index-prefix";
  public static final String INDEX_GRANULARITY = P + "index-granularity";

  public static final String OPENSEARCH_ENDPOINT = P + "opensearch.endpoint";
  public static final String OPENSEARCH_AUTH_TYPE = P + "opensearch.auth.type";
  public static final String OPENSEARCH_AUTH_USERNAME_FILE = P + "opensearch.auth.username-file";
  public static final String OPENSEARCH_AUTH_PASSWORD_FILE = P + "opensearch.auth.password-file";
  public static final String OPENSEARCH_AUTH_REGION = P + "opensearch.auth.region";
  public static final String OPENSEARCH_AUTH_SERVICE = P + "opensearch.auth.service";
  public static final String OPENSEARCH_TLS_CA_FILE = P + "opensearch.tls.ca-file";
  public static final String OPENSEARCH_REPLICAS = P + "opensearch.replicas";
  public static final String OPENSEARCH_REFRESH_INTERVAL = P + "opensearch.refresh-interval";

  public static final String GEOIP_DATABASE = P + "geoip.database";
  public static final String GEOIP_CACHE_SIZE = P + "geoip.cache-size";

  /** The account directory file (see {@link AccountDirectory}). */
  public static final String ACCOUNTS_FILE = P + "accounts.file";

  /** The queue the operator configures (one per LogSource); the ingester accepts any name. */
  public static final String QUEUE = "logs";

  /** Every fixed key above; queue keys are per name ({@link #queueUrl}, {@link #queueLogType}). */
  public static final List<String> ALL =
      List.of(
          MODE,
          DETECTION_RULES,
          SCAN_BUCKET,
          SCAN_PREFIX,
          SCAN_SUFFIX,
          SCAN_INTERVAL,
          SCAN_LOG_TYPE,
          SCAN_CHECKPOINT,
          REPLAY_BUCKET,
          REPLAY_PREFIX,
          REPLAY_FROM,
          REPLAY_TO,
          REPLAY_INDEX_PREFIX,
          REPLAY_LOG_TYPE,
          REPLAY_CHECKPOINT,
          AWS_REGION,
          AWS_ENDPOINT_OVERRIDE,
          AWS_S3_PATH_STYLE,
          AWS_ROLE_ARN,
          AWS_EXTERNAL_ID,
          DEAD_LETTER_S3_BUCKET,
          DEAD_LETTER_S3_PREFIX,
          INDEX_PREFIX,
          INDEX_GRANULARITY,
          OPENSEARCH_ENDPOINT,
          OPENSEARCH_AUTH_TYPE,
          OPENSEARCH_AUTH_USERNAME_FILE,
          OPENSEARCH_AUTH_PASSWORD_FILE,
          OPENSEARCH_AUTH_REGION,
          OPENSEARCH_AUTH_SERVICE,
          OPENSEARCH_TLS_CA_FILE,
          OPENSEARCH_REPLICAS,
          OPENSEARCH_REFRESH_INTERVAL,
          GEOIP_DATABASE,
          GEOIP_CACHE_SIZE,
          ACCOUNTS_FILE);

  private IngesterKeys() {}

  /** The SQS queue URL of the queue named {@code queue}. */
  public static String queueUrl(String queue) {
    return P + "queues." + queue + ".url";
  }

  /** {@code auto} or the log type of the queue named {@code queue}. */
  public static String queueLogType(String queue) {
    return P + "queues." + queue + ".log-type";
  }
}
