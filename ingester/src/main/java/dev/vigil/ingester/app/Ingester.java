package dev.vigil.ingester.app;

import dev.vigil.core.parse.IndexNaming;
import dev.vigil.core.parse.IndexTemplates;
import dev.vigil.core.parse.LogParsers;
import dev.vigil.core.parse.ObjectParser;
import dev.vigil.core.retry.Backoff;
import dev.vigil.ingester.accounts.AccountsFile;
import dev.vigil.ingester.config.ConfigCheck;
import dev.vigil.ingester.config.IngesterConfig;
import dev.vigil.ingester.detect.DetectionHook;
import dev.vigil.ingester.detect.OpenSearchAlertStore;
import dev.vigil.ingester.detect.StreamingDetection;
import dev.vigil.ingester.geo.GeoIp;
import dev.vigil.ingester.metrics.IngesterMetrics;
import dev.vigil.ingester.opensearch.OpenSearchConnection;
import dev.vigil.ingester.pipeline.DeadLetterSink;
import dev.vigil.ingester.pipeline.OpenSearchStatus;
import dev.vigil.ingester.pipeline.Pipeline;
import dev.vigil.ingester.pipeline.S3DeadLetterSink;
import dev.vigil.ingester.pipeline.SqsDeadLetterSink;
import dev.vigil.ingester.queue.QueueConsumer;
import dev.vigil.ingester.queue.SqsMessageQueue;
import dev.vigil.ingester.replay.ReplayJob;
import dev.vigil.ingester.scan.ScanJob;
import dev.vigil.ingester.source.ObjectStore;
import dev.vigil.ingester.source.S3ObjectStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The ingester assembled from its configuration, without any framework — its one composition root:
 * AWS clients, the OpenSearch connection, the detection hook (streaming detection, sharing that
 * connection), the indexing pipeline and, in queue mode, the queue consumer (in scan mode, the
 * periodic scan). Quarkus wiring and in-process tests both build it here.
 */
public final class Ingester implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Ingester.class);

  /** Index templates are installed again after 500 ms, 1 s, ... at most 30 s. */
  private static final Backoff TEMPLATES_RETRY =
      new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), Backoff.Jitter.NONE);

  private final IngesterConfig config;
  private final AwsClients aws;
  private final OpenSearchConnection openSearch;
  private final OpenSearchStatus status = new OpenSearchStatus();
  private final IngesterMetrics metrics;
  private final ObjectStore store;
  private final Pipeline pipeline;
  private final DetectionHook hook;
  private final GeoIp geoIp;
  private final AccountsFile accounts;
  private final ScheduledExecutorService probe;
  private final Object lifecycle = new Object();
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  private QueueConsumer consumer;
  private ScanJob scan;
  private Thread starter;
  private volatile boolean stopping;

  private Ingester(
      IngesterConfig config, MeterRegistry registry, AwsCredentialsProvider credentials) {
    this.config = config;
    this.geoIp = GeoIp.open(config.geoip(), registry); // first: a bad database fails start-up
    this.accounts = AccountsFile.open(config.accounts().file(), registry);
    this.metrics = new IngesterMetrics(registry);
    this.aws = new AwsClients(config, credentials, metrics);
    this.store = new S3ObjectStore(aws.s3());
    boolean detecting = config.detection().rules().isPresent();
    // Bulk senders, the probe and template installation; the stream's alert writer when detecting.
    int connections = config.bulk().concurrency() + 2 + (detecting ? 2 : 0);
    this.openSearch =
        OpenSearchConnection.create(config.opensearch(), config.aws(), connections, credentials);
    this.hook = detecting ? streamingDetection(config, openSearch, registry) : DetectionHook.NONE;
    this.pipeline =
        new Pipeline(
            config.bulk(),
            openSearch.bulkTransport(),
            deadLetterSink(config),
            metrics,
            status,
            config.concurrency());
    metrics.gauge(
        "vigil.ingester.opensearch.up",
        "1 while OpenSearch answers and the index templates are installed",
        () -> status.ready() ? 1 : 0);
    this.probe =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "vigil-probe");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Validates {@code config} and builds the ingester; nothing is contacted yet. With {@code
   * vigil.ingester.detection.rules}, every document also goes through streaming detection, which
   * writes its alerts through the ingester's OpenSearch connection.
   *
   * @param credentials AWS credentials, or null for the SDK's default chain
   * @throws dev.vigil.ingester.config.InvalidConfigException naming every invalid key
   */
  public static Ingester create(
      IngesterConfig config, MeterRegistry registry, AwsCredentialsProvider credentials) {
    ConfigCheck.validate(config);
    return new Ingester(config, registry, credentials);
  }

  /** The every-match rules among the DetectionRule manifests at {@code detection.rules}. */
  private static DetectionHook streamingDetection(
      IngesterConfig config, OpenSearchConnection openSearch, MeterRegistry registry) {
    return new StreamingDetection(
        StreamingDetection.load(Path.of(config.detection().rules().get())),
        new OpenSearchAlertStore(openSearch),
        Clock.systemUTC(),
        registry);
  }

  private DeadLetterSink deadLetterSink(IngesterConfig config) {
    IngesterConfig.DeadLetter dl = config.deadLetter();
    if (dl.s3Bucket().isPresent()) {
      return new S3DeadLetterSink(store, dl.s3Bucket().get(), dl.s3Prefix());
    }
    return new SqsDeadLetterSink(aws.sqs(), dl.sqsUrl().orElseThrow());
  }

  public OpenSearchStatus status() {
    return status;
  }

  public IngesterMetrics metrics() {
    return metrics;
  }

  public IngesterConfig config() {
    return config;
  }

  /**
   * Queue mode: in the background, installs the index templates (retrying until OpenSearch
   * answers), then polls every queue. Returns at once.
   */
  public void startQueues() {
    IndexNaming naming = new IndexNaming(config.indexPrefix(), config.indexGranularity());
    ObjectParser parser = parser(naming);
    List<QueueConsumer.Binding> bindings =
        config.queues().entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(
                q ->
                    new QueueConsumer.Binding(
                        new SqsMessageQueue(
                            aws.sqs(), aws.sqsReceiver(), q.getKey(), q.getValue().url().trim()),
                        ConfigCheck.logType(q.getValue().logType())))
            .toList();
    synchronized (lifecycle) {
      consumer =
          new QueueConsumer(
              bindings,
              pipeline.ingester(store, parser, hook),
              pipeline.deadLetters(),
              metrics,
              config.concurrency(),
              config.receive().waitTime(),
              config.visibility().timeout(),
              aws::stopReceiving);
      startProbe();
      starter =
          new Thread(
              () -> {
                if (installTemplates(naming)) {
                  synchronized (lifecycle) {
                    if (!stopping) {
                      consumer.start();
                    }
                  }
                }
              },
              "vigil-start");
      starter.setDaemon(true);
      starter.start();
    }
  }

  /**
   * Scan mode: in the background, installs the index templates (retrying until OpenSearch answers),
   * then runs a listing pass of {@code vigil.ingester.scan.*} every {@code scan.interval} (counted
   * from the end of the previous pass). Returns at once.
   */
  public void startScan() {
    IndexNaming naming = new IndexNaming(config.indexPrefix(), config.indexGranularity());
    ObjectParser parser = parser(naming);
    IngesterConfig.Scan settings = config.scan();
    synchronized (lifecycle) {
      scan =
          new ScanJob(
              settings,
              ConfigCheck.logType(settings.logType()),
              store,
              pipeline.ingester(store, parser, hook),
              metrics,
              config.concurrency(),
              Clock.systemUTC());
      startProbe();
      starter =
          new Thread(
              () -> {
                if (installTemplates(naming)) {
                  scanEvery(settings.interval());
                }
              },
              "vigil-scan");
      starter.setDaemon(true);
      starter.start();
    }
  }

  private void scanEvery(java.time.Duration interval) {
    while (!stopping) {
      try {
        scan.scanOnce();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException | RuntimeException e) {
        LOG.errorf("scan pass failed, next one in %s: %s", interval, e.toString());
      }
      try {
        if (stopSignal.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Replay mode: the job for {@code vigil.ingester.replay.*}; run it with {@link ReplayJob#run}.
   */
  public ReplayJob replayJob() {
    IngesterConfig.Replay replay = config.replay();
    IndexNaming naming = new IndexNaming(replay.indexPrefix(), IndexNaming.Granularity.DAILY);
    ObjectParser parser = parser(naming);
    startProbe();
    return new ReplayJob(
        replay,
        ConfigCheck.logType(replay.logType()),
        store,
        pipeline.ingester(store, parser, hook),
        metrics,
        config.concurrency(),
        () -> installTemplates(naming));
  }

  /**
   * Every mode parses with every log type and, when configured, GeoIP and the account directory.
   */
  private ObjectParser parser(IndexNaming naming) {
    return new ObjectParser(
        naming, LogParsers.all(), geoIp.enrichment(), accounts == null ? () -> null : accounts);
  }

  private void startProbe() {
    long every = config.opensearch().probeInterval().toMillis();
    probe.scheduleWithFixedDelay(this::probe, 0, every, TimeUnit.MILLISECONDS);
  }

  private void probe() {
    try {
      openSearch.ping(config.opensearch().probeTimeout());
      status.answered();
    } catch (IOException | RuntimeException e) {
      status.unreachable(e.toString());
    }
  }

  /** Installs the templates for {@code naming}, retrying until done or stopping. */
  private boolean installTemplates(IndexNaming naming) {
    IndexTemplates templates =
        new IndexTemplates(
            naming,
            config.opensearch().replicas(),
            config.opensearch().refreshInterval().orElse(null));
    for (int attempt = 0; !stopping; attempt++) {
      try {
        openSearch.installTemplates(templates);
        status.answered();
        status.templatesInstalled(true);
        LOG.infof(
            "index templates installed prefix=%s endpoint=%s",
            naming.prefix(), openSearch.endpoint());
        return true;
      } catch (IOException | RuntimeException e) {
        status.unreachable(e.toString());
        if (attempt == 0) {
          LOG.warnf(
              "cannot install index templates at %s yet (retrying): %s",
              openSearch.endpoint(), e.toString());
        }
        try {
          Thread.sleep(TEMPLATES_RETRY.delay(attempt).toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return false;
  }

  /**
   * Graceful stop: polling stops, in-flight objects get {@code vigil.ingester.shutdown-grace} to
   * finish, and what is left is released to SQS. A scan pass stops listing, lets its objects in
   * flight finish within the grace and checkpoints.
   */
  public void stop() {
    QueueConsumer running;
    ScanJob scanning;
    synchronized (lifecycle) {
      if (stopping) {
        return;
      }
      stopping = true;
      running = consumer;
      scanning = scan;
    }
    stopSignal.countDown();
    if (scanning != null) {
      scanning.stop();
      try {
        starter.join(config.shutdownGrace().toMillis() + 1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (starter != null) {
      starter.interrupt();
    }
    if (running != null) {
      running.stop(config.shutdownGrace(), pipeline::abandon);
    }
  }

  @Override
  public void close() {
    stop();
    probe.shutdownNow();
    pipeline.close();
    if (hook instanceof StreamingDetection streaming) {
      streaming.close(); // before the connection its alert writer uses
    }
    try {
      openSearch.close();
    } catch (IOException e) {
      LOG.debugf("closing the OpenSearch transport: %s", e);
    }
    aws.close();
    try {
      geoIp.close();
    } catch (IOException e) {
      LOG.debugf("closing the GeoIP database: %s", e);
    }
  }

  /** For tests: the queue consumer once started (null before). */
  QueueConsumer consumer() {
    return consumer;
  }
}
