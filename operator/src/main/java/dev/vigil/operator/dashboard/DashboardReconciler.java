package dev.vigil.operator.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.v1alpha1.Dashboard;
import dev.vigil.api.v1alpha1.DashboardStatus;
import dev.vigil.api.v1alpha1.DeletionPolicy;
import dev.vigil.core.DesiredStateHash;
import dev.vigil.core.dashboards.DashboardDefinition;
import dev.vigil.core.dashboards.DashboardException;
import dev.vigil.core.dashboards.DashboardRenderer;
import dev.vigil.core.dashboards.SavedObject;
import dev.vigil.core.retry.Backoff;
import dev.vigil.operator.Leadership;
import dev.vigil.operator.OperatorConfig;
import dev.vigil.operator.common.Conditions;
import dev.vigil.operator.common.DriftRepairs;
import dev.vigil.operator.common.ExternalCleanup;
import dev.vigil.operator.common.InvalidSpecException;
import dev.vigil.operator.common.KubeEvents;
import dev.vigil.operator.common.ReadyCondition;
import dev.vigil.operator.common.StatusCarry;
import dev.vigil.operator.common.StatusUpdates;
import dev.vigil.operator.opensearch.OpenSearchException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Keeps a Dashboard's saved objects in OpenSearch Dashboards: renders the spec in {@code core},
 * syncs the difference through the saved-objects API ({@link DashboardSync}), and records the hash
 * of what it wrote and the objects it manages in status. Re-checks at the resync pace so objects
 * edited or deleted by hand come back (unless {@code repairDrift: false}). Deleting the resource
 * deletes its objects (finalizer), unless {@code deletionPolicy: Retain}.
 */
@ControllerConfiguration(name = "dashboard")
public class DashboardReconciler implements Reconciler<Dashboard>, Cleaner<Dashboard> {
  private static final Logger LOG = Logger.getLogger(DashboardReconciler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DashboardsTargets targets;
  private final StatusUpdates statusUpdates;
  private final KubeEvents events;
  private final Conditions conditions;
  private final ReadyCondition readiness;
  private final Backoff backoff;
  private final Duration resync;
  private final MeterRegistry metrics;

  private final Leadership leadership;

  @Inject
  public DashboardReconciler(
      Leadership leadership,
      KubernetesClient client,
      MeterRegistry metrics,
      OperatorConfig config) {
    this(
        leadership,
        new DashboardsTargets(client),
        new StatusUpdates(metrics),
        new KubeEvents(client, Clock.systemUTC()),
        Clock.systemUTC(),
        config,
        metrics);
  }

  DashboardReconciler(
      Leadership leadership,
      DashboardsTargets targets,
      StatusUpdates statusUpdates,
      KubeEvents events,
      Clock clock,
      OperatorConfig config,
      MeterRegistry metrics) {
    this.leadership = leadership;
    this.targets = targets;
    this.statusUpdates = statusUpdates;
    this.events = events;
    this.conditions = new Conditions(clock);
    this.readiness = new ReadyCondition(conditions, events);
    this.backoff = new Backoff(config.retryInitialDelay(), config.retryMaxDelay());
    this.resync = config.dashboardResyncInterval();
    this.metrics = metrics;
  }

  @Override
  public UpdateControl<Dashboard> reconcile(Dashboard dashboard, Context<Dashboard> context) {
    if (leadership.isPaused()) {
      return UpdateControl.noUpdate();
    }
    String uid = dashboard.getMetadata().getUid();
    DashboardStatus previous = dashboard.getStatus();
    DashboardStatus status =
        StatusCarry.from(previous, DashboardStatus::new, dashboard.getMetadata().getGeneration());
    Duration next = resync;
    try {
      DashboardRenderer.Rendered rendered = render(dashboard);
      DashboardsTargets.Target target = targets.resolve(dashboard);
      List<SavedObject> objects = rendered.objects();
      String hash = hash(objects, target);
      boolean changed = !hash.equals(status.syncedHash);
      boolean repairDrift = !Boolean.FALSE.equals(dashboard.getSpec().repairDrift);
      List<String> managed =
          previous == null || previous.managedObjects == null ? List.of() : previous.managedObjects;
      boolean tenantMoved =
          previous != null
              && previous.managedObjects != null
              && !java.util.Objects.equals(previous.tenant, target.tenant());
      DashboardSync.Result result =
          DashboardSync.apply(
              target.client(), objects, changed, repairDrift, tenantMoved ? List.of() : managed);
      if (tenantMoved) {
        // The objects now live in the new tenant; remove them from the one they were synced to.
        DashboardsClient old = target.inTenant(previous.tenant).client();
        for (String key : managed) {
          old.delete(key);
        }
        LOG.infof(
            "Dashboard %s: moved %d saved objects from tenant %s to %s",
            id(dashboard), managed.size(), previous.tenant, target.tenant());
      }
      count(result);
      status.objects = objects.size();
      status.syncedHash = hash;
      status.dashboardId = rendered.dashboardId();
      status.managedObjects = objects.stream().map(SavedObject::key).toList();
      status.tenant = target.tenant();
      String where =
          target.url() + (target.tenant() == null ? "" : " (tenant " + target.tenant() + ")");
      ready(dashboard, status, true, "Synced", objects.size() + " saved objects in " + where);
      if (!result.drifted().isEmpty()) {
        String message =
            "restored objects edited in Dashboards: " + String.join(", ", result.drifted());
        new DriftRepairs(events, metrics).repaired(dashboard, "saved-objects", message);
      } else if (result.wroteAnything()) {
        LOG.infof(
            "Dashboard %s: imported %d, deleted %d saved objects at %s",
            id(dashboard), result.imported(), result.deleted(), where);
      }
      backoff.succeeded(uid);
    } catch (InvalidSpecException e) {
      ready(dashboard, status, false, "InvalidSpec", e.getMessage());
    } catch (DashboardsTargetException e) {
      ready(dashboard, status, false, e.reason(), e.getMessage());
    } catch (OpenSearchException e) {
      ready(dashboard, status, false, e.reason(), e.getMessage());
      metrics.counter("vigil_dashboard_sync_failures_total", "reason", e.reason()).increment();
      next = backoff.failed(uid);
    }
    return statusUpdates.apply(dashboard, status).rescheduleAfter(next);
  }

  @Override
  public DeleteControl cleanup(Dashboard dashboard, Context<Dashboard> context) throws Exception {
    if (leadership.isPaused()) {
      return DeleteControl.noFinalizerRemoval();
    }
    DeletionPolicy policy =
        dashboard.getSpec().deletionPolicy == null
            ? DeletionPolicy.Delete
            : dashboard.getSpec().deletionPolicy;
    return ExternalCleanup.apply(
        policy,
        () -> {
          DashboardsTargets.Target target;
          try {
            target = targets.resolve(dashboard);
          } catch (DashboardsTargetException | InvalidSpecException e) {
            // Nowhere to delete from (the connection went first): do not block the deletion.
            LOG.warnf("Dashboard %s: objects left in place: %s", id(dashboard), e.getMessage());
            return;
          }
          DashboardStatus status = dashboard.getStatus();
          List<String> keys =
              status != null && status.managedObjects != null
                  ? status.managedObjects
                  : renderedKeys(dashboard);
          DashboardsClient client =
              status != null && status.managedObjects != null
                  ? target.inTenant(status.tenant).client() // where they were written
                  : target.client();
          for (String key : keys) {
            client.delete(key);
          }
          metrics.counter("vigil_dashboard_objects_deleted_total").increment(keys.size());
          LOG.infof("Dashboard %s: deleted %d saved objects", id(dashboard), keys.size());
        });
  }

  private List<String> renderedKeys(Dashboard dashboard) {
    try {
      return render(dashboard).objects().stream().map(SavedObject::key).toList();
    } catch (InvalidSpecException e) {
      return List.of(); // never rendered, so nothing was written
    }
  }

  private static DashboardRenderer.Rendered render(Dashboard dashboard)
      throws InvalidSpecException {
    try {
      JsonNode spec = JSON.valueToTree(dashboard.getSpec());
      return new DashboardRenderer(
              dashboard.getMetadata().getNamespace(), dashboard.getMetadata().getName())
          .render(DashboardDefinition.fromSpec(spec));
    } catch (DashboardException e) {
      throw new InvalidSpecException(e.getMessage());
    }
  }

  private static String hash(List<SavedObject> objects, DashboardsTargets.Target target) {
    Map<String, Object> desired = new LinkedHashMap<>();
    desired.put("url", target.url());
    desired.put("tenant", target.tenant());
    desired.put("objects", objects.stream().map(SavedObject::toJson).toList());
    return DesiredStateHash.of(desired);
  }

  private void count(DashboardSync.Result result) {
    metrics.counter("vigil_dashboard_objects_imported_total").increment(result.imported());
    metrics.counter("vigil_dashboard_objects_deleted_total").increment(result.deleted());
    metrics.counter("vigil_dashboard_drift_repaired_total").increment(result.drifted().size());
  }

  private void ready(
      Dashboard dashboard, DashboardStatus status, boolean ready, String reason, String message) {
    readiness.set(dashboard, status, ready, reason, message);
  }

  private static String id(Dashboard dashboard) {
    return dashboard.getMetadata().getNamespace() + "/" + dashboard.getMetadata().getName();
  }
}
