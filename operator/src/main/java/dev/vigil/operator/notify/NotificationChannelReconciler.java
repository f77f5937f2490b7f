package dev.vigil.operator.notify;

import dev.vigil.api.v1alpha1.NotificationChannel;
import dev.vigil.api.v1alpha1.NotificationChannelStatus;
import dev.vigil.operator.Leadership;
import dev.vigil.operator.OperatorConfig;
import dev.vigil.operator.alerting.NotificationChannelSync;
import dev.vigil.operator.common.Conditions;
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
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Resolves each NotificationChannel (its Secrets) for the built-in engine's deliveries and shows
 * how they go: {@code Ready} says whether the channel can be used, {@code Delivering} whether the
 * last delivery arrived, with {@code lastDeliveryTime}, {@code failedDeliveries} and {@code
 * lastError}. Secrets are not watched: the channel is resolved again every connection-check
 * interval, so a created or rotated Secret is picked up within a minute.
 */
@ControllerConfiguration(name = "notificationchannel")
public class NotificationChannelReconciler
    implements Reconciler<NotificationChannel>, Cleaner<NotificationChannel> {
  static final String DELIVERING = "Delivering";

  /** Whether the Notifications plugin took the channel's configs (only on clusters with it). */
  static final String PLUGIN_CONFIG = "NotificationsConfig";

  private final ChannelResolver resolver;
  private final ChannelRegistry registry;
  private final ChannelDelivery delivery;
  private final StatusUpdates statusUpdates;
  private final KubeEvents events;
  private final Conditions conditions;
  private final ReadyCondition readiness;
  private final Duration recheck;
  private final PluginChannelConfigs pluginConfigs;

  private final Leadership leadership;

  @Inject
  public NotificationChannelReconciler(
      Leadership leadership,
      KubernetesClient client,
      ChannelRegistry registry,
      ChannelDelivery delivery,
      MeterRegistry metrics,
      OperatorConfig config) {
    this(
        leadership,
        new ChannelResolver(client),
        new PluginChannelConfigs(client),
        registry,
        delivery,
        new StatusUpdates(metrics),
        new KubeEvents(client, Clock.systemUTC()),
        Clock.systemUTC(),
        config.connectionCheckInterval());
  }

  NotificationChannelReconciler(
      Leadership leadership,
      ChannelResolver resolver,
      PluginChannelConfigs pluginConfigs,
      ChannelRegistry registry,
      ChannelDelivery delivery,
      StatusUpdates statusUpdates,
      KubeEvents events,
      Clock clock,
      Duration recheck) {
    this.leadership = leadership;
    this.resolver = resolver;
    this.pluginConfigs = pluginConfigs;
    this.registry = registry;
    this.delivery = delivery;
    this.statusUpdates = statusUpdates;
    this.events = events;
    this.conditions = new Conditions(clock);
    this.readiness = new ReadyCondition(conditions, events);
    this.recheck = recheck;
  }

  @Override
  public List<EventSource<?, NotificationChannel>> prepareEventSources(
      EventSourceContext<NotificationChannel> context) {
    SimpleInboundEventSource<NotificationChannel> deliveries =
        new SimpleInboundEventSource<>("deliveries");
    delivery.onResult(
        key -> {
          int slash = key.indexOf('/');
          deliveries.propagateEvent(
              new ResourceID(key.substring(slash + 1), key.substring(0, slash)));
        });
    return List.of(deliveries);
  }

  @Override
  public UpdateControl<NotificationChannel> reconcile(
      NotificationChannel channel, Context<NotificationChannel> context) {
    if (leadership.isPaused()) {
      return UpdateControl.noUpdate();
    }
    String key = key(channel);
    NotificationChannelStatus previous = channel.getStatus();
    NotificationChannelStatus status =
        StatusCarry.from(
            previous, NotificationChannelStatus::new, channel.getMetadata().getGeneration());
    try {
      ResolvedChannel target = resolver.resolve(channel);
      registry.put(
          target,
          previous == null || previous.failedDeliveries == null ? 0 : previous.failedDeliveries);
      ready(channel, status, true, "Resolved", describe(target));
    } catch (InvalidSpecException e) {
      registry.remove(key);
      ready(channel, status, false, "InvalidSpec", e.getMessage());
    }
    pluginConfig(channel, status);
    registry
        .stats(key)
        .ifPresent(
            stats -> {
              stats
                  .lastDelivery()
                  .ifPresent(
                      t -> status.lastDeliveryTime = t.truncatedTo(ChronoUnit.SECONDS).toString());
              status.failedDeliveries = stats.failed();
              status.lastError = stats.lastError();
              if (stats.delivered() > 0 || stats.failed() > 0) {
                boolean ok = stats.lastError() == null;
                conditions.set(
                    status.conditions,
                    DELIVERING,
                    ok,
                    ok ? "Delivered" : "DeliveryFailed",
                    ok ? "the last alert was delivered" : stats.lastError(),
                    status.observedGeneration);
              }
            });
    return statusUpdates.apply(channel, status).rescheduleAfter(recheck);
  }

  @Override
  public DeleteControl cleanup(NotificationChannel channel, Context<NotificationChannel> context) {
    if (leadership.isPaused()) {
      return DeleteControl.noFinalizerRemoval();
    }
    registry.forget(key(channel));
    try {
      pluginConfigs.remove(channel);
    } catch (OpenSearchException e) {
      events.warning(channel, "CleanupFailed", e.getMessage());
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(recheck);
    }
    return DeleteControl.defaultDelete();
  }

  /**
   * Syncs the channel's Notifications plugin configs where the connection has the plugin, and says
   * in {@link #PLUGIN_CONFIG} whether the plugin took them, with its message when it did not.
   */
  private void pluginConfig(NotificationChannel channel, NotificationChannelStatus status) {
    try {
      NotificationChannelSync.Result result = pluginConfigs.sync(channel);
      if (result == null) {
        status.conditions.removeIf(c -> c.getType().equals(PLUGIN_CONFIG));
        return;
      }
      conditions.set(
          status.conditions,
          PLUGIN_CONFIG,
          true,
          "Synced",
          "Notifications plugin config " + result.configId(),
          status.observedGeneration);
    } catch (OpenSearchException e) {
      conditions.set(
          status.conditions,
          PLUGIN_CONFIG,
          false,
          e.reason(),
          e.getMessage(),
          status.observedGeneration);
    } catch (InvalidSpecException e) {
      conditions.set(
          status.conditions,
          PLUGIN_CONFIG,
          false,
          "InvalidSpec",
          e.getMessage(),
          status.observedGeneration);
    }
  }

  private static String describe(ResolvedChannel target) {
    String severities =
        target.severities().isEmpty()
            ? "all severities"
            : "severities " + target.severities().stream().sorted().toList();
    return target.type() + " channel for " + severities;
  }

  private void ready(
      NotificationChannel channel,
      NotificationChannelStatus status,
      boolean ready,
      String reason,
      String message) {
    readiness.set(channel, status, ready, reason, message);
  }

  private static String key(NotificationChannel channel) {
    return channel.getMetadata().getNamespace() + "/" + channel.getMetadata().getName();
  }
}
