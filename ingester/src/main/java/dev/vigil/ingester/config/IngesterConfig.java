package dev.vigil.ingester.config;

import dev.vigil.core.ingest.BucketPrefixes;
import dev.vigil.core.ingest.IngesterKeys;
import dev.vigil.core.parse.IndexNaming;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

/**
 * The ingester's whole configuration ({@code vigil.ingester.*}). Defaults are production values;
 * {@link ConfigCheck} validates what types alone cannot, naming the offending key.
 */
@ConfigMapping(prefix = IngesterKeys.PREFIX)
public interface IngesterConfig {
  enum Mode {
    /** Long-poll the queues for S3 notifications (the Deployment). */
    QUEUE,
    /** Ingest every object under an S3 prefix whose key date is in a range, then exit (a Job). */
    REPLAY,
    /**
     * List an S3 prefix periodically and ingest the objects not ingested yet (buckets without event
     * notifications; one replica per prefix).
     */
    SCAN
  }

  @WithDefault("queue")
  Mode mode();

  /** Queues to poll, by a short name used in logs and metrics. */
  Map<String, Queue> queues();

  OpenSearch opensearch();

  Aws aws();

  Bulk bulk();

  /** Objects processed at the same time (each one streamed, parsed and indexed). */
  @WithDefault("4")
  int concurrency();

  Receive receive();

  Visibility visibility();

  @WithName("dead-letter")
  DeadLetter deadLetter();

  /** Prefix of the indices documents go to: {@code <prefix>-<type>-YYYY.MM.DD}. */
  @WithDefault("vigil")
  String indexPrefix();

  /** Time partition of index names by event time: daily, monthly or yearly. */
  @WithDefault("daily")
  IndexNaming.Granularity indexGranularity();

  Replay replay();

  Scan scan();

  Detection detection();

  /** GeoIP enrichment of documents' source and destination addresses. */
  GeoIp geoip();

  /** Organizations enrichment: account names, OU paths and tags. */
  Accounts accounts();

  /**
   * On SIGTERM: how long in-flight objects may take to finish before their messages are released
   * (visibility set to 0) for another pod.
   */
  @WithDefault("20s")
  Duration shutdownGrace();

  interface Queue {
    /** The SQS queue URL. */
    String url();

    /**
     * {@code auto} (from the key, then the content) or a log type id such as {@code cloudtrail}.
     */
    @WithDefault("auto")
    String logType();
  }

  interface OpenSearch {
    /** {@code https://host:port} (or http for a local node). */
    String endpoint();

    Auth auth();

    Tls tls();

    /** How often reachability is probed for readiness. */
    @WithDefault("5s")
    Duration probeInterval();

    /**
     * How long a probe waits for an answer before readiness drops: short, so a frozen node is not
     * taken for healthy for the whole {@link #requestTimeout()}.
     */
    @WithDefault("5s")
    Duration probeTimeout();

    /** Connect and response timeout of each request. */
    @WithDefault("60s")
    Duration requestTimeout();

    /**
     * Replicas of each log index, set by the index templates: a count, or a range that follows the
     * cluster's data nodes ({@code 0-1}: one replica once there are two data nodes, none on a
     * single node, so it stays green). Applies to indices created after a change.
     */
    @WithDefault(dev.vigil.core.parse.IndexTemplates.DEFAULT_REPLICAS)
    String replicas();

    /**
     * {@code index.refresh_interval} of every log index, e.g. 1s: how soon indexed documents are
     * searchable. Absent: each log type's own (30s for CloudTrail, 60s for VPC Flow Logs, …).
     * Applies to indices created after a change.
     */
    Optional<String> refreshInterval();
  }

  enum AuthType {
    NONE,
    BASIC,
    SIGV4
  }

  interface Auth {
    @WithDefault("none")
    AuthType type();

    /** Basic auth user (or {@link #usernameFile()}). */
    Optional<String> username();

    /**
     * Basic auth password, e.g. from an env var filled from a Secret (or {@link #passwordFile()}).
     */
    Optional<String> password();

    /** A file holding the user name, e.g. a mounted Secret key. */
    Optional<String> usernameFile();

    /** A file holding the password, e.g. a mounted Secret key. */
    Optional<String> passwordFile();

    /** SigV4: the region of the domain; defaults to {@code vigil.ingester.aws.region}. */
    Optional<String> region();

    /** SigV4 signing name: {@code es} (managed domains) or {@code aoss} (serverless). */
    @WithDefault("es")
    String service();
  }

  interface Tls {
    /** PEM file of the CA(s) to trust for the OpenSearch endpoint, instead of the JDK's. */
    Optional<String> caFile();
  }

  interface Aws {
    /** Region of SQS and S3 clients; when absent the SDK's default chain decides. */
    Optional<String> region();

    /** Endpoint override for S3 and SQS (VPC endpoints, local emulators). */
    Optional<String> endpointOverride();

    /** Path-style S3 addressing (needed by emulators on an IP address). */
    @WithDefault("false")
    boolean s3PathStyle();

    /** Role to assume for S3 and SQS (a log-archive bucket in another account). */
    Optional<String> roleArn();

    /** External id the role's trust policy requires, if any. */
    Optional<String> externalId();
  }

  interface Bulk {
    /** A bulk request is sent when it holds this many documents... */
    @WithDefault("5000")
    int maxDocuments();

    /** ...or this many bytes... */
    @WithDefault("5M")
    MemorySize maxBytes();

    /** ...or when its first document has waited this long. */
    @WithDefault("1s")
    Duration flushInterval();

    /** Bulk requests in flight at the same time. */
    @WithDefault("2")
    int concurrency();

    /** First retry delay of a throttled or failed bulk request (doubles each time, jittered). */
    @WithDefault("200ms")
    Duration retryInitial();

    /** Cap of the retry delay. */
    @WithDefault("30s")
    Duration retryMax();
  }

  interface Receive {
    /** SQS long-poll wait (0 to 20 s). */
    @WithDefault("10s")
    Duration waitTime();
  }

  interface Visibility {
    /**
     * Visibility timeout set on receipt and on every extension; a message is extended when half of
     * it has passed and its object is still being worked on.
     */
    @WithDefault("2m")
    Duration timeout();
  }

  interface DeadLetter {
    /** S3 destination for documents, records and objects that can never be indexed. */
    Optional<String> s3Bucket();

    @WithDefault(BucketPrefixes.DEAD_LETTERS)
    String s3Prefix();

    /** Or an SQS queue URL (one message per dead letter). */
    Optional<String> sqsUrl();
  }

  interface Replay {
    /** Bucket to replay from. */
    Optional<String> bucket();

    /** Key prefix listed, e.g. {@code AWSLogs/123456789012/CloudTrail/}. */
    Optional<String> prefix();

    /** First key date included (YYYY-MM-DD). */
    Optional<LocalDate> from();

    /** Last key date included (YYYY-MM-DD). */
    Optional<LocalDate> to();

    /** Index prefix the replayed documents go to, e.g. {@code vigil-replay}. */
    @WithDefault("vigil-replay")
    String indexPrefix();

    /** {@code auto} or a log type id. */
    @WithDefault("auto")
    String logType();

    /**
     * Where progress is kept so a stopped replay resumes: {@code s3://bucket/key} or a local file.
     */
    Optional<String> checkpoint();
  }

  interface Scan {
    /** Bucket to list. */
    Optional<String> bucket();

    /** Key prefix listed, e.g. {@code AWSLogs/}. */
    Optional<String> prefix();

    /** Only keys ending with this, e.g. {@code .json.gz}; unset: every key. */
    Optional<String> suffix();

    /** Pause between the end of one listing pass and the start of the next. */
    @WithDefault("5m")
    Duration interval();

    /**
     * How far back key dates are listed: each pass lists the {@code YYYY/MM/DD/} folders from (last
     * pass − look-back) to tomorrow, so objects delivered late into an older folder are found. The
     * first pass ingests the objects written within it.
     */
    @WithDefault("1d")
    Duration lookBack();

    /**
     * Objects whose last-modified time is at most this much before the previous pass's start are
     * still considered (S3 stamps an object when its upload starts, so one still uploading during a
     * pass is listed by the next).
     */
    @WithDefault("15m")
    Duration overlap();

    /** {@code auto} or a log type id. */
    @WithDefault("auto")
    String logType();

    /**
     * Where the scan keeps what it ingested, so a restarted pod resumes: {@code s3://bucket/key} or
     * a local file.
     */
    Optional<String> checkpoint();
  }

  interface Detection {
    /**
     * A file or directory of DetectionRule manifests (YAML) whose every-match rules run on each
     * document as it is parsed (streaming detection); unset: none.
     */
    Optional<String> rules();
  }

  interface GeoIp {
    /**
     * A MaxMind DB file (GeoLite2/GeoIP2 City or Country, DB-IP Lite …); unset: no enrichment. A
     * missing or unreadable file fails start-up.
     */
    Optional<String> database();

    /** Addresses whose answer (or miss) is kept in memory; 0 looks every address up. */
    @WithDefault("100000")
    int cacheSize();
  }

  interface Accounts {
    /**
     * The account directory the operator writes from AWS Organizations (JSON, see {@code
     * AccountDirectory}); re-read whenever it changes. Unset, missing or unreadable: documents get
     * no account names (never an error for a document).
     */
    Optional<String> file();
  }
}
