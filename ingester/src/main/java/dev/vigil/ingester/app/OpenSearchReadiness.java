package dev.vigil.ingester.app;

import dev.vigil.ingester.pipeline.OpenSearchStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while OpenSearch does not answer or the index templates are not installed yet: the pod
 * takes no traffic (it serves none, but readiness gates rollouts) and the problem is visible.
 */
@Readiness
@ApplicationScoped
public class OpenSearchReadiness implements HealthCheck {
  private final IngesterService service;

  @Inject
  public OpenSearchReadiness(IngesterService service) {
    this.service = service;
  }

  @Override
  public HealthCheckResponse call() {
    OpenSearchStatus status = service.status();
    HealthCheckResponseBuilder response = HealthCheckResponse.named("opensearch");
    if (status == null) {
      return response.down().withData("problem", "not started").build();
    }
    response.withData("since", status.since().toString());
    if (status.ready()) {
      return response.up().build();
    }
    return response.down().withData("problem", String.valueOf(status.problem())).build();
  }
}
