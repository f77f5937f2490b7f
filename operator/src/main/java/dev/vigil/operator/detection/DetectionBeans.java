package dev.vigil.operator.detection;

import dev.vigil.core.retry.Backoff;
import dev.vigil.operator.OperatorConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Wires the built-in engine: one alert index, one engine, one schedule per operator process. */
public class DetectionBeans {
  @Produces
  @Singleton
  DetectionScheduler scheduler(
      AlertNotifier notifier, OperatorConfig config, MeterRegistry metrics) {
    BuiltInEngine engine =
        new BuiltInEngine(
            new AlertIndex(), notifier, Clock.systemUTC(), config.detectionLateArrival());
    return new DetectionScheduler(
        engine,
        config.detectionThreads(),
        config.detectionStatusRefresh(),
        new Backoff(config.retryInitialDelay(), config.retryMaxDelay()),
        metrics);
  }

  void close(@Disposes DetectionScheduler scheduler) {
    scheduler.close();
  }
}
