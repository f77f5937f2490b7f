package dev.vigil.operator;

import io.javaoperatorsdk.operator.Operator;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness (the Deployment's livenessProbe, {@code /q/health/live}): DOWN once the operator has not
 * started within {@code vigil.operator.start-timeout} of the process start. The SDK starts the
 * operator once, in the background ({@code async-start}); a start that fails — the API server
 * unreachable at start, say — stops the informers and is never tried again, while the process would
 * otherwise stay live forever. Failing liveness lets the kubelet restart the pod, which starts
 * again from scratch. Readiness (the SDK's own check) covers the informers of a started operator.
 */
@Liveness
@Singleton
public class OperatorLiveness implements HealthCheck {
  static final String NAME = "Vigil operator started";

  private final Operator operator;
  private final Duration startTimeout;
  private final Clock clock = Clock.systemUTC();
  private volatile Instant processStart = clock.instant();

  public OperatorLiveness(Operator operator, OperatorConfig config) {
    this.operator = operator;
    this.startTimeout = config.startTimeout();
  }

  void started(@Observes StartupEvent event) {
    processStart = clock.instant();
  }

  @Override
  public HealthCheckResponse call() {
    if (operator.getRuntimeInfo().isStarted()) {
      return HealthCheckResponse.up(NAME);
    }
    Duration waited = Duration.between(processStart, clock.instant());
    boolean late = waited.compareTo(startTimeout) > 0;
    return HealthCheckResponse.named(NAME)
        .status(!late)
        .withData(
            "reason",
            late
                ? "the operator has not started within "
                    + startTimeout.toSeconds()
                    + " s (API server unreachable at start? see the log): restart me"
                : "starting")
        .build();
  }
}
