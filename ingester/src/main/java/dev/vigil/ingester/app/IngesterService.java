package dev.vigil.ingester.app;

import dev.vigil.ingester.config.IngesterConfig;
import dev.vigil.ingester.pipeline.OpenSearchStatus;
import dev.vigil.ingester.replay.ReplayJob;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Runs the ingester inside Quarkus: validates the configuration at start-up (an invalid one fails
 * start-up naming its keys), then polls the queues — or, in scan mode, lists the bucket prefix
 * periodically, or, in replay mode, runs the replay and exits (0 when every object was ingested).
 * SIGTERM stops polling and lets in-flight objects finish within {@code
 * vigil.ingester.shutdown-grace} before releasing the rest.
 */
@ApplicationScoped
public class IngesterService {
  private static final Logger LOG = Logger.getLogger(IngesterService.class);

  private final IngesterConfig config;
  private final MeterRegistry registry;
  private volatile Ingester ingester;

  @Inject
  public IngesterService(IngesterConfig config, MeterRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  void onStart(@Observes StartupEvent event) {
    ingester = Ingester.create(config, registry, null);
    if (config.mode() == IngesterConfig.Mode.REPLAY) {
      Thread replay = new Thread(this::replay, "vigil-replay-main");
      replay.setDaemon(true);
      replay.start();
    } else if (config.mode() == IngesterConfig.Mode.SCAN) {
      ingester.startScan();
    } else {
      ingester.startQueues();
    }
  }

  private void replay() {
    int code;
    try {
      ReplayJob.Summary summary = ingester.replayJob().run();
      code = summary.succeeded() ? 0 : 1;
    } catch (Exception e) {
      LOG.errorf(e, "replay failed");
      code = 1;
    }
    Quarkus.asyncExit(code);
  }

  void onStop(@Observes ShutdownEvent event) {
    Ingester running = ingester;
    if (running != null) {
      LOG.info("shutting down: no more polling, finishing in-flight objects");
      running.close();
    }
  }

  /** OpenSearch as the ingester sees it; "not started" before start-up completes. */
  public OpenSearchStatus status() {
    Ingester running = ingester;
    return running == null ? null : running.status();
  }
}
