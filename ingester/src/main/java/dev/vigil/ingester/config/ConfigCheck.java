package dev.vigil.ingester.config;

import dev.vigil.core.LogType;
import dev.vigil.core.ingest.IngesterKeys;
import dev.vigil.core.parse.IndexTemplates;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks what the types of {@link IngesterConfig} cannot: every problem is reported with the full
 * name of its key, and start-up fails on the first check with all of them.
 */
public final class ConfigCheck {
  private static final String P = IngesterKeys.PREFIX + ".";
  private static final String INDEX_PREFIX = "[a-z0-9][a-z0-9_.-]*";

  private final List<String> problems = new ArrayList<>();

  private ConfigCheck() {}

  /** Every problem of {@code config}, each starting with the key it concerns; empty when valid. */
  public static List<String> problems(IngesterConfig config) {
    ConfigCheck check = new ConfigCheck();
    check.check(config);
    return List.copyOf(check.problems);
  }

  /**
   * @throws InvalidConfigException naming every invalid key
   */
  public static void validate(IngesterConfig config) {
    List<String> problems = problems(config);
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(problems);
    }
  }

  /** The log type a queue or replay names, or null for {@code auto}. */
  public static LogType logType(String id) {
    if (id == null || id.isBlank() || id.trim().equalsIgnoreCase("auto")) {
      return null;
    }
    return LogType.fromId(id).orElseThrow(() -> new IllegalArgumentException(id));
  }

  private void check(IngesterConfig c) {
    if (c.mode() == IngesterConfig.Mode.QUEUE) {
      if (c.queues().isEmpty()) {
        problem("queues", "at least one queue is required in queue mode (queues.<name>.url)");
      }
      for (Map.Entry<String, IngesterConfig.Queue> queue : c.queues().entrySet()) {
        String key = "queues." + queue.getKey();
        url(key + ".url", queue.getValue().url(), false);
        logType(key + ".log-type", queue.getValue().logType());
      }
    }
    openSearch(c.opensearch(), c.aws());
    bulk(c.bulk());
    atLeast("concurrency", c.concurrency(), 1);
    if (c.concurrency() > 256) {
      problem("concurrency", "must be at most 256, is " + c.concurrency());
    }
    Duration wait = c.receive().waitTime();
    if (wait.isNegative() || wait.compareTo(Duration.ofSeconds(20)) > 0) {
      problem("receive.wait-time", "must be between 0s and 20s (the SQS long-poll limit)");
    }
    Duration visibility = c.visibility().timeout();
    if (visibility.compareTo(Duration.ofSeconds(2)) < 0
        || visibility.compareTo(Duration.ofHours(12)) > 0) {
      problem("visibility.timeout", "must be between 2s and 12h (the SQS limit)");
    }
    deadLetter(c.deadLetter());
    indexPrefix("index-prefix", c.indexPrefix());
    if (c.shutdownGrace().isNegative()) {
      problem("shutdown-grace", "must not be negative");
    }
    if (c.mode() == IngesterConfig.Mode.REPLAY) {
      replay(c.replay());
    }
    if (c.mode() == IngesterConfig.Mode.SCAN) {
      scan(c.scan());
    }
    c.geoip().database().ifPresent(f -> readable("geoip.database", f));
    atLeast("geoip.cache-size", c.geoip().cacheSize(), 0);
  }

  private void scan(IngesterConfig.Scan scan) {
    if (scan.bucket().isEmpty()) {
      problem("scan.bucket", "is required in scan mode");
    } else {
      bucket("scan.bucket", scan.bucket().get());
    }
    if (scan.interval().compareTo(Duration.ofSeconds(1)) < 0) {
      problem("scan.interval", "must be at least 1s");
    }
    positive("scan.look-back", scan.lookBack());
    if (scan.overlap().isNegative()) {
      problem("scan.overlap", "must not be negative");
    }
    logType("scan.log-type", scan.logType());
    scan.checkpoint().ifPresent(cp -> checkpoint("scan.checkpoint", cp));
  }

  private void openSearch(IngesterConfig.OpenSearch os, IngesterConfig.Aws aws) {
    URI endpoint = url("opensearch.endpoint", os.endpoint(), true);
    IngesterConfig.Auth auth = os.auth();
    switch (auth.type()) {
      case NONE -> {}
      case BASIC -> {
        secret("opensearch.auth.username", auth.username(), auth.usernameFile());
        secret("opensearch.auth.password", auth.password(), auth.passwordFile());
      }
      case SIGV4 -> {
        if (auth.region().or(aws::region).isEmpty()) {
          problem(
              "opensearch.auth.region",
              "SigV4 needs the domain's region (opensearch.auth.region or aws.region)");
        }
        if (!List.of("es", "aoss").contains(auth.service())) {
          problem("opensearch.auth.service", "must be es or aoss, is '" + auth.service() + "'");
        }
        if (endpoint != null && !"https".equals(endpoint.getScheme())) {
          problem("opensearch.endpoint", "SigV4 (Amazon OpenSearch Service) needs https");
        }
      }
    }
    os.tls().caFile().ifPresent(f -> readable("opensearch.tls.ca-file", f));
    positive("opensearch.probe-interval", os.probeInterval());
    positive("opensearch.probe-timeout", os.probeTimeout());
    IndexTemplates.replicasProblem(os.replicas())
        .ifPresent(problem -> problem("opensearch.replicas", problem));
    os.refreshInterval()
        .flatMap(IndexTemplates::refreshIntervalProblem)
        .ifPresent(problem -> problem("opensearch.refresh-interval", problem));
    positive("opensearch.request-timeout", os.requestTimeout());
    aws.endpointOverride().ifPresent(e -> url("aws.endpoint-override", e, false));
  }

  private void bulk(IngesterConfig.Bulk bulk) {
    atLeast("bulk.max-documents", bulk.maxDocuments(), 1);
    long bytes = bulk.maxBytes().asLongValue();
    if (bytes < 1024 || bytes > 100L * 1024 * 1024) {
      problem("bulk.max-bytes", "must be between 1K and 100M, is " + bytes + " bytes");
    }
    positive("bulk.flush-interval", bulk.flushInterval());
    atLeast("bulk.concurrency", bulk.concurrency(), 1);
    positive("bulk.retry-initial", bulk.retryInitial());
    if (bulk.retryMax().compareTo(bulk.retryInitial()) < 0) {
      problem("bulk.retry-max", "must not be shorter than bulk.retry-initial");
    }
  }

  private void deadLetter(IngesterConfig.DeadLetter dl) {
    if (dl.s3Bucket().isPresent() == dl.sqsUrl().isPresent()) {
      problem(
          "dead-letter",
          "set exactly one destination: dead-letter.s3-bucket (with dead-letter.s3-prefix) or"
              + " dead-letter.sqs-url");
    }
    dl.s3Bucket().ifPresent(b -> bucket("dead-letter.s3-bucket", b));
    dl.sqsUrl().ifPresent(u -> url("dead-letter.sqs-url", u, false));
  }

  private void replay(IngesterConfig.Replay replay) {
    if (replay.bucket().isEmpty()) {
      problem("replay.bucket", "is required in replay mode");
    } else {
      bucket("replay.bucket", replay.bucket().get());
    }
    if (replay.from().isEmpty()) {
      problem("replay.from", "is required in replay mode (YYYY-MM-DD, first key date included)");
    }
    if (replay.to().isEmpty()) {
      problem("replay.to", "is required in replay mode (YYYY-MM-DD, last key date included)");
    }
    if (replay.from().isPresent()
        && replay.to().isPresent()
        && replay.from().get().isAfter(replay.to().get())) {
      problem("replay.to", "must not be before replay.from");
    }
    indexPrefix("replay.index-prefix", replay.indexPrefix());
    logType("replay.log-type", replay.logType());
    replay.checkpoint().ifPresent(cp -> checkpoint("replay.checkpoint", cp));
  }

  private void checkpoint(String key, String cp) {
    if (cp.startsWith("s3://")) {
      String rest = cp.substring(5);
      int slash = rest.indexOf('/');
      if (slash <= 0 || slash == rest.length() - 1) {
        problem(key, "must be s3://bucket/key or a file path");
      }
    } else if (cp.isBlank()) {
      problem(key, "must be s3://bucket/key or a file path");
    }
  }

  private URI url(String key, String value, boolean needsHost) {
    try {
      URI uri = URI.create(value.trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        problem(key, "must be an http(s) URL, is '" + value + "'");
        return null;
      }
      if (uri.getHost() == null || (needsHost && uri.getHost().isBlank())) {
        problem(key, "has no host: '" + value + "'");
        return null;
      }
      return uri;
    } catch (IllegalArgumentException e) {
      problem(key, "is not a URL: " + e.getMessage());
      return null;
    }
  }

  private void logType(String key, String value) {
    try {
      logType(value);
    } catch (IllegalArgumentException e) {
      problem(
          key,
          "unknown log type '"
              + value
              + "'; one of auto, "
              + Arrays.stream(LogType.values()).map(LogType::id).collect(Collectors.joining(", ")));
    }
  }

  private void indexPrefix(String key, String value) {
    if (value == null || !value.matches(INDEX_PREFIX)) {
      problem(
          key,
          "'"
              + value
              + "' must be lowercase letters, digits, '-', '_' or '.', starting with a letter or"
              + " digit");
    }
  }

  private void bucket(String key, String value) {
    if (!value.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      problem(key, "'" + value + "' is not a valid S3 bucket name");
    }
  }

  private void secret(String key, Optional<String> value, Optional<String> file) {
    if (value.isPresent() && file.isPresent()) {
      problem(key, "set either " + P + key + " or " + P + key + "-file, not both");
    } else if (value.isEmpty() && file.isEmpty()) {
      problem(
          key, "basic auth needs " + P + key + " (e.g. from an env var) or " + P + key + "-file");
    } else if (file.isPresent()) {
      readable(key + "-file", file.get());
    } else if (value.get().isEmpty()) {
      problem(key, "is empty");
    }
  }

  private void readable(String key, String file) {
    if (!Files.isReadable(Path.of(file))) {
      problem(key, "cannot read " + file);
    }
  }

  private void positive(String key, Duration value) {
    if (value.isNegative() || value.isZero()) {
      problem(key, "must be positive");
    }
  }

  private void atLeast(String key, int value, int min) {
    if (value < min) {
      problem(key, "must be at least " + min + ", is " + value);
    }
  }

  private void problem(String key, String message) {
    problems.add(P + key + ": " + message);
  }
}
