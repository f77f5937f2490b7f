package dev.vigil.ingester.support;

import dev.vigil.ingester.config.IngesterConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds {@link IngesterConfig} from properties the way Quarkus does (same mapping, same
 * converters), without booting Quarkus: unit tests and in-process integration tests use the keys
 * users write.
 */
public final class TestConfigs {
  private TestConfigs() {}

  /** A valid minimal queue-mode configuration, with {@code overrides} applied (null removes). */
  public static IngesterConfig queueMode(Map<String, String> overrides) {
    Map<String, String> props = new HashMap<>();
    props.put("vigil.ingester.queues.logs.url", "http://127.0.0.1:1/123456789012/logs");
    props.put("vigil.ingester.opensearch.endpoint", "http://127.0.0.1:9200");
    props.put("vigil.ingester.dead-letter.s3-bucket", "dead-letters");
    overrides.forEach(
        (k, v) -> {
          if (v == null) {
            props.remove(k);
          } else {
            props.put(k, v);
          }
        });
    return from(props);
  }

  public static IngesterConfig from(Map<String, String> properties) {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withConverter(Duration.class, 100, new DurationConverter())
            .withConverter(MemorySize.class, 100, new MemorySizeConverter())
            .withSources(new PropertiesConfigSource(properties, "test", 500))
            .withMapping(IngesterConfig.class)
            .build();
    return config.getConfigMapping(IngesterConfig.class);
  }
}
