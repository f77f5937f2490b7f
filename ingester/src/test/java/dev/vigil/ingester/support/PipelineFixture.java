package dev.vigil.ingester.support;

import dev.vigil.core.parse.ObjectParser;
import dev.vigil.ingester.config.IngesterConfig;
import dev.vigil.ingester.detect.DetectionHook;
import dev.vigil.ingester.metrics.IngesterMetrics;
import dev.vigil.ingester.pipeline.ObjectIngester;
import dev.vigil.ingester.pipeline.OpenSearchStatus;
import dev.vigil.ingester.pipeline.Pipeline;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.Map;

/** A pipeline on fakes, with millisecond retries. */
public final class PipelineFixture implements AutoCloseable {
  public final FakeOpenSearch openSearch = new FakeOpenSearch();
  public final MemoryObjectStore store = new MemoryObjectStore();
  public final CollectingDeadLetters deadLetters = new CollectingDeadLetters();
  public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  public final IngesterMetrics metrics = new IngesterMetrics(registry);
  public final OpenSearchStatus status = new OpenSearchStatus();
  public final ObjectParser parser = ObjectParser.standard();
  public final Pipeline pipeline;
  public final IngesterConfig config;

  public PipelineFixture() {
    this(Map.of());
  }

  public PipelineFixture(Map<String, String> overrides) {
    Map<String, String> props = new HashMap<>();
    props.put("vigil.ingester.bulk.retry-initial", "1ms");
    props.put("vigil.ingester.bulk.retry-max", "5ms");
    props.put("vigil.ingester.bulk.flush-interval", "50ms");
    props.putAll(overrides);
    config = TestConfigs.queueMode(props);
    pipeline =
        new Pipeline(config.bulk(), openSearch, deadLetters, metrics, status, config.concurrency());
  }

  public ObjectIngester ingester(DetectionHook hook) {
    return pipeline.ingester(store, parser, hook);
  }

  public ObjectIngester ingester() {
    return ingester(DetectionHook.NONE);
  }

  public double counter(String name, String... tags) {
    var counter = registry.find(name).tags(tags).counters();
    return counter.stream().mapToDouble(c -> c.count()).sum();
  }

  @Override
  public void close() {
    pipeline.close();
  }
}
