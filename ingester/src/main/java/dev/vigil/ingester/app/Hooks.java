package dev.vigil.ingester.app;

import dev.vigil.ingester.config.IngesterConfig;
import dev.vigil.ingester.detect.DetectionHook;
import dev.vigil.ingester.detect.OpenSearchAlertStore;
import dev.vigil.ingester.detect.StreamingDetection;
import dev.vigil.ingester.opensearch.OpenSearchConnection;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The detection hook: streaming detection when {@code vigil.ingester.detection.rules} names
 * DetectionRule manifests, otherwise a no-op.
 */
@ApplicationScoped
public class Hooks {
  @Produces
  @ApplicationScoped
  DetectionHook hook(IngesterConfig config, MeterRegistry metrics) {
    if (config.detection().rules().isEmpty()) {
      return DetectionHook.NONE;
    }
    OpenSearchConnection openSearch =
        OpenSearchConnection.create(config.opensearch(), config.aws(), 2);
    return new StreamingDetection(
        StreamingDetection.load(Path.of(config.detection().rules().get())),
        new OpenSearchAlertStore(openSearch),
        Clock.systemUTC(),
        metrics);
  }
}
