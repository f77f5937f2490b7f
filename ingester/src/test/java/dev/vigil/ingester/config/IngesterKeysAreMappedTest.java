package dev.vigil.ingester.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.ingest.IngesterKeys;
import dev.vigil.ingester.support.TestConfigs;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every key the operator may write ({@link IngesterKeys}, held to what it writes by the operator's
 * {@code IngesterKeysWrittenTest}) is one {@link IngesterConfig} maps: the mapping rejects keys
 * under its prefix that it does not know, so a key the ingester does not read fails here.
 */
class IngesterKeysAreMappedTest {
  /** Values of the right type where a key is not a plain string. */
  private static final Map<String, String> TYPED =
      Map.of(
          IngesterKeys.MODE, "scan",
          IngesterKeys.SCAN_INTERVAL, "5m",
          IngesterKeys.AWS_S3_PATH_STYLE, "true",
          IngesterKeys.INDEX_GRANULARITY, "monthly",
          IngesterKeys.OPENSEARCH_AUTH_TYPE, "basic",
          IngesterKeys.GEOIP_CACHE_SIZE, "5000",
          IngesterKeys.REPLAY_FROM, "2024-01-01",
          IngesterKeys.REPLAY_TO, "2024-01-31");

  @Test
  void everyKeyTheOperatorWritesIsOneTheIngesterReads() {
    Map<String, String> props = new HashMap<>();
    for (String key : IngesterKeys.ALL) {
      props.put(key, TYPED.getOrDefault(key, "x"));
    }
    props.put(IngesterKeys.queueUrl(IngesterKeys.QUEUE), "http://127.0.0.1:1/1/logs");
    props.put(IngesterKeys.queueLogType(IngesterKeys.QUEUE), "waf");

    IngesterConfig config = TestConfigs.from(props);

    assertThat(config.mode()).isEqualTo(IngesterConfig.Mode.SCAN);
    assertThat(config.geoip().cacheSize()).isEqualTo(5000);
    assertThat(config.queues().get(IngesterKeys.QUEUE).logType()).isEqualTo("waf");
  }

  @Test
  void aKeyTheIngesterDoesNotReadIsRejected() {
    Map<String, String> props = new HashMap<>();
    props.put(IngesterKeys.OPENSEARCH_ENDPOINT, "http://127.0.0.1:9200");
    props.put(IngesterKeys.PREFIX + ".opensearch.auth.user-file", "/creds/username");

    assertThatThrownBy(() -> TestConfigs.from(props)).hasMessageContaining("auth.user-file");
  }
}
