package dev.vigil.ingester.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.ingester.support.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCheckTest {
  @Test
  void minimalQueueConfigurationIsValidWithProductionDefaults() {
    IngesterConfig config = TestConfigs.queueMode(Map.of());

    assertThat(ConfigCheck.problems(config)).isEmpty();
    assertThat(config.bulk().maxDocuments()).isEqualTo(5000);
    assertThat(config.bulk().maxBytes().asLongValue()).isEqualTo(5L * 1024 * 1024);
    assertThat(config.bulk().flushInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.visibility().timeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.queues().get("logs").logType()).isEqualTo("auto");
    assertThat(config.indexPrefix()).isEqualTo("vigil");
  }

  @Test
  void unknownLogTypeIsReportedWithItsKeyAndTheValidTypes() {
    IngesterConfig config =
        TestConfigs.queueMode(Map.of("vigil.ingester.queues.logs.log-type", "cloudtrial"));

    assertThat(ConfigCheck.problems(config))
        .singleElement()
        .asString()
        .startsWith("vigil.ingester.queues.logs.log-type: unknown log type 'cloudtrial'")
        .contains("cloudtrail", "vpcflow");
  }

  @Test
  void eachInvalidValueNamesItsKey() {
    Map<String, String> bad = new HashMap<>();
    bad.put("vigil.ingester.opensearch.endpoint", "ftp://search");
    bad.put("vigil.ingester.bulk.max-documents", "0");
    bad.put("vigil.ingester.bulk.max-bytes", "200M");
    bad.put("vigil.ingester.receive.wait-time", "30s");
    bad.put("vigil.ingester.visibility.timeout", "13h");
    bad.put("vigil.ingester.index-prefix", "Vigil");
    bad.put("vigil.ingester.concurrency", "0");
    bad.put("vigil.ingester.bulk.retry-max", "10ms");
    bad.put("vigil.ingester.opensearch.replicas", "some");
    bad.put("vigil.ingester.opensearch.refresh-interval", "soon");

    assertThat(ConfigCheck.problems(TestConfigs.queueMode(bad)))
        .extracting(p -> p.substring(0, p.indexOf(':')))
        .containsExactlyInAnyOrder(
            "vigil.ingester.opensearch.endpoint",
            "vigil.ingester.bulk.max-documents",
            "vigil.ingester.bulk.max-bytes",
            "vigil.ingester.receive.wait-time",
            "vigil.ingester.visibility.timeout",
            "vigil.ingester.index-prefix",
            "vigil.ingester.concurrency",
            "vigil.ingester.bulk.retry-max",
            "vigil.ingester.opensearch.replicas",
            "vigil.ingester.opensearch.refresh-interval");
  }

  @Test
  void anUnreadableGeoIpDatabaseAndANegativeCacheAreNamed() {
    Map<String, String> props = new HashMap<>();
    props.put("vigil.ingester.geoip.database", "/nonexistent/GeoLite2-City.mmdb");
    props.put("vigil.ingester.geoip.cache-size", "-1");

    assertThat(ConfigCheck.problems(TestConfigs.queueMode(props)))
        .containsExactlyInAnyOrder(
            "vigil.ingester.geoip.database: cannot read /nonexistent/GeoLite2-City.mmdb",
            "vigil.ingester.geoip.cache-size: must be at least 0, is -1");
  }

  @Test
  void queueModeNeedsAQueueAndExactlyOneDeadLetterDestination() {
    Map<String, String> props = new HashMap<>();
    props.put("vigil.ingester.queues.logs.url", null);
    props.put("vigil.ingester.dead-letter.sqs-url", "http://127.0.0.1:1/123456789012/dlq");

    assertThat(ConfigCheck.problems(TestConfigs.queueMode(props)))
        .extracting(p -> p.substring(0, p.indexOf(':')))
        .containsExactlyInAnyOrder("vigil.ingester.queues", "vigil.ingester.dead-letter");
  }

  @Test
  void basicAuthNeedsUserAndPasswordFromValueOrReadableFile(@TempDir Path dir) throws Exception {
    Path password = Files.writeString(dir.resolve("password"), "s3cret\n");
    IngesterConfig fromFile =
        TestConfigs.queueMode(
            Map.of(
                "vigil.ingester.opensearch.auth.type", "basic",
                "vigil.ingester.opensearch.auth.username", "ingester",
                "vigil.ingester.opensearch.auth.password-file", password.toString()));
    IngesterConfig missing =
        TestConfigs.queueMode(
            Map.of(
                "vigil.ingester.opensearch.auth.type",
                "basic",
                "vigil.ingester.opensearch.auth.password-file",
                dir.resolve("nope").toString()));

    assertThat(ConfigCheck.problems(fromFile)).isEmpty();
    assertThat(ConfigCheck.problems(missing))
        .containsExactlyInAnyOrder(
            "vigil.ingester.opensearch.auth.username: basic auth needs"
                + " vigil.ingester.opensearch.auth.username (e.g. from an env var) or"
                + " vigil.ingester.opensearch.auth.username-file",
            "vigil.ingester.opensearch.auth.password-file: cannot read " + dir.resolve("nope"));
  }

  @Test
  void sigV4NeedsARegionAndHttps() {
    IngesterConfig config =
        TestConfigs.queueMode(Map.of("vigil.ingester.opensearch.auth.type", "sigv4"));

    assertThat(ConfigCheck.problems(config))
        .extracting(p -> p.substring(0, p.indexOf(':')))
        .containsExactlyInAnyOrder(
            "vigil.ingester.opensearch.auth.region", "vigil.ingester.opensearch.endpoint");
  }

  @Test
  void replayModeNeedsBucketAndAnOrderedDateRange() {
    IngesterConfig config =
        TestConfigs.queueMode(
            Map.of(
                "vigil.ingester.mode", "replay",
                "vigil.ingester.replay.from", "2026-02-01",
                "vigil.ingester.replay.to", "2026-01-01"));

    assertThat(ConfigCheck.problems(config))
        .extracting(p -> p.substring(0, p.indexOf(':')))
        .containsExactlyInAnyOrder("vigil.ingester.replay.bucket", "vigil.ingester.replay.to");
  }

  @Test
  void scanModeNeedsABucketAndSaneTimesButNoQueue() {
    Map<String, String> props = new java.util.HashMap<>();
    props.put("vigil.ingester.mode", "scan");
    props.put("vigil.ingester.queues.logs.url", null);
    props.put("vigil.ingester.scan.interval", "0s");
    props.put("vigil.ingester.scan.overlap", "-1s");
    props.put("vigil.ingester.scan.checkpoint", "s3://only-bucket");
    assertThat(ConfigCheck.problems(TestConfigs.queueMode(props)))
        .extracting(p -> p.substring(0, p.indexOf(':')))
        .containsExactlyInAnyOrder(
            "vigil.ingester.scan.bucket",
            "vigil.ingester.scan.interval",
            "vigil.ingester.scan.overlap",
            "vigil.ingester.scan.checkpoint");

    props.put("vigil.ingester.scan.bucket", "logs");
    props.put("vigil.ingester.scan.interval", "5m");
    props.put("vigil.ingester.scan.overlap", "15m");
    props.put("vigil.ingester.scan.checkpoint", "s3://logs/vigil-checkpoints/scan.json");
    IngesterConfig valid = TestConfigs.queueMode(props);
    assertThat(ConfigCheck.problems(valid)).isEmpty();
    assertThat(valid.scan().lookBack()).isEqualTo(java.time.Duration.ofDays(1));
  }

  @Test
  void validateFailsWithEveryProblemInTheMessage() {
    IngesterConfig config =
        TestConfigs.queueMode(
            Map.of(
                "vigil.ingester.concurrency", "0",
                "vigil.ingester.queues.logs.url", "not a url"));

    assertThatThrownBy(() -> ConfigCheck.validate(config))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("vigil.ingester.concurrency: must be at least 1")
        .hasMessageContaining("vigil.ingester.queues.logs.url");
  }
}
