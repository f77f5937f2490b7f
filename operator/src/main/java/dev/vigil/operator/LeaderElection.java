package dev.vigil.operator;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Leader election for the operator's replicas: the operator SDK activates it in the {@code prod}
 * profile when this bean exists. Only the leader runs reconcilers — and so only the leader fills
 * the built-in engine's schedule (see docs/engine.md). The lease lives in the operator's own
 * namespace (the service account's), under the RBAC the kustomize base grants.
 */
public class LeaderElection {
  public static final String LEASE = "vigil-operator";

  @Produces
  @Singleton
  LeaderElectionConfiguration leaderElection() {
    return new LeaderElectionConfiguration(LEASE);
  }
}
