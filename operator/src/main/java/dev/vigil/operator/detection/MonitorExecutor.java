package dev.vigil.operator.detection;

import dev.vigil.api.v1alpha1.DetectionRule;
import dev.vigil.core.rules.CompiledRule;
import dev.vigil.core.rules.RuleDefinition;
import dev.vigil.operator.common.InvalidSpecException;
import dev.vigil.operator.opensearch.OpenSearchException;
import dev.vigil.operator.opensearch.OpenSearchRest;

/**
 * The seam for the OpenSearch Alerting executor: a CDI bean implementing this (package {@code
 * dev.vigil.operator.alerting}) makes {@link DetectionRuleReconciler} sync rules whose executor is
 * Alerting as monitors. Without such a bean those rules report {@code Ready=False,
 * reason=AlertingSyncNotWired} and do not run.
 *
 * <p>Contract: called on every reconcile of a rule whose executor is Alerting; find the rule's
 * monitor by its stable name/Vigil metadata (adopt, never duplicate), create or update it only when
 * its desired hash changed, repair drift, and return the monitor id (written to {@code
 * status.monitorId}). Throw {@link OpenSearchException} for transient failures (the reconciler
 * reports them and retries); {@link InvalidSpecException} when a referenced channel is missing or
 * invalid. {@link #delete} runs from the reconciler's cleanup.
 */
public interface MonitorExecutor {
  /**
   * @param rule the resource (its status, its namespace's NotificationChannels)
   * @param definition what its spec defines (channels, monitor kind, severity, schedule …)
   */
  String sync(
      DetectionRule rule, RuleDefinition definition, CompiledRule compiled, OpenSearchRest rest)
      throws OpenSearchException, InvalidSpecException;

  /** How often a synced monitor is compared again (hand edits and deletions are repaired). */
  java.time.Duration resyncInterval();

  /** Removes the rule's monitor per its deletion policy (Vigil's monitors only). */
  void delete(DetectionRule rule, OpenSearchRest rest) throws OpenSearchException;
}
