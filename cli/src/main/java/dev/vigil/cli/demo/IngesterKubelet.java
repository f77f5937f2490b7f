package dev.vigil.cli.demo;

import dev.vigil.api.v1alpha1.Groups;
import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.parts.FreePorts;
import dev.vigil.parts.ManagedProcess;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for the kubelet, which does not run here, for the ingester Deployments the operator
 * writes: one packaged ingester process per Deployment, with the Deployment's ConfigMap as {@code
 * config/application.properties} in its working directory (where the pod mounts it), restarted when
 * the config-hash annotation changes, stopped when the Deployment goes; its readiness probe ({@code
 * /q/health/ready}) is reported in the Deployment's status, as the deployment controller would, so
 * LogSources become Ready. One process serves a Deployment whatever its replica count.
 */
final class IngesterKubelet implements AutoCloseable {
  static final String LABEL = "app.kubernetes.io/name";
  static final String INGESTER = "vigil-ingester";
  private static final String HASH = LogSource.CONFIG_HASH_ANNOTATION;
  private static final String CONFIG_KEY = "application.properties";

  private final KubernetesClient client;
  private final Path jar;
  private final Path workRoot;
  private final Console console;
  private final Map<String, Running> running = new ConcurrentHashMap<>();
  private final ScheduledExecutorService probes =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "demo-kubelet-probes");
            t.setDaemon(true);
            return t;
          });
  private SharedIndexInformer<Deployment> informer;

  private static final class Running {
    final ManagedProcess process;
    final String hash;
    final URI ready;
    boolean reportedReady;

    Running(ManagedProcess process, String hash, URI ready) {
      this.process = process;
      this.hash = hash;
      this.ready = ready;
    }
  }

  IngesterKubelet(KubernetesClient client, Path jar, Path workRoot, Console console) {
    this.client = client;
    this.jar = jar;
    this.workRoot = workRoot;
    this.console = console;
  }

  void start() {
    informer =
        client
            .apps()
            .deployments()
            .inAnyNamespace()
            .withLabel(LABEL, INGESTER)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Deployment d) {
                    sync(d);
                  }

                  @Override
                  public void onUpdate(Deployment old, Deployment d) {
                    sync(d);
                  }

                  @Override
                  public void onDelete(Deployment d, boolean finalStateUnknown) {
                    Running gone = running.remove(key(d));
                    if (gone != null) {
                      console.event("ingester %s: Deployment deleted, stopping it", key(d));
                      gone.process.stop(Duration.ofSeconds(30));
                    }
                  }
                },
                30_000);
    probes.scheduleWithFixedDelay(this::probe, 1, 1, TimeUnit.SECONDS);
  }

  /** Ingester processes running now. */
  int count() {
    return running.size();
  }

  private synchronized void sync(Deployment d) {
    String key = key(d);
    if (ownerGone(d)) {
      // No controller-manager runs here either: collect what a deleted LogSource owned, as its
      // garbage collector would (deleting the Deployment stops the ingester, below).
      console.event("ingester %s: its LogSource is gone, deleting Deployment and ConfigMap", key);
      client.resource(d).delete();
      ConfigMap config = configMap(d);
      if (config != null) {
        client.resource(config).delete();
      }
      return;
    }
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    String hash = hash(d);
    Running current = running.get(key);
    if (replicas == 0) {
      if (current != null) {
        console.event("ingester %s: scaled to 0, stopping it", key);
        stop(key);
        report(d.getMetadata().getNamespace(), d.getMetadata().getName(), 0, 0);
      }
      return;
    }
    if (current != null && Objects.equals(current.hash, hash) && current.process.isAlive()) {
      return;
    }
    ConfigMap config = configMap(d);
    if (config == null || config.getData() == null || !config.getData().containsKey(CONFIG_KEY)) {
      return; // the operator writes the ConfigMap first; the next event or resync retries
    }
    if (current != null) {
      console.event(
          "ingester %s: %s, restarting it",
          key, current.process.isAlive() ? "configuration changed" : "process had exited");
      stop(key);
    }
    try {
      Path work =
          workRoot.resolve(d.getMetadata().getNamespace() + "-" + d.getMetadata().getName());
      Files.createDirectories(work.resolve("config"));
      // Every key of the ConfigMap, as its volume shows them at /deployments/config in a pod.
      for (var entry : config.getData().entrySet()) {
        Files.writeString(
            work.resolve("config").resolve(entry.getKey()),
            entry.getValue().replace("/deployments/config/", work.resolve("config") + "/"));
      }
      int port = FreePorts.next();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ManagedProcess process =
          ManagedProcess.start(
              "ingester-" + d.getMetadata().getNamespace() + "-" + d.getMetadata().getName(),
              List.of(
                  java,
                  "-Xmx256m",
                  "-XX:TieredStopAtLevel=1",
                  "-Dquarkus.http.port=" + port,
                  "-Dquarkus.log.console.json.enabled=false",
                  // Two cores serve every part of the demo: one object and one bulk at a time.
                  "-Dvigil.ingester.concurrency=1",
                  "-Dvigil.ingester.bulk.concurrency=1",
                  "-jar",
                  jar.toString()),
              work,
              Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing"));
      running.put(
          key,
          new Running(process, hash, URI.create("http://127.0.0.1:" + port + "/q/health/ready")));
      report(d.getMetadata().getNamespace(), d.getMetadata().getName(), 1, 0);
      console.event(
          "ingester %s: started (pid %d, config %s/config/%s, log %s)",
          key, process.pid(), work, CONFIG_KEY, process.log());
    } catch (IOException e) {
      console.event("ingester %s: cannot prepare its working directory: %s", key, e.getMessage());
    }
  }

  private void probe() {
    for (Map.Entry<String, Running> e : running.entrySet()) {
      Running r = e.getValue();
      String[] nsName = e.getKey().split("/", 2);
      try {
        if (!r.process.isAlive()) {
          running.remove(e.getKey(), r);
          console.event(
              "ingester %s: exited (log %s); restarted on the next resync",
              e.getKey(), r.process.log());
          report(nsName[0], nsName[1], 1, 0);
        } else if (!r.reportedReady && HealthProbe.ok(r.ready)) {
          report(nsName[0], nsName[1], 1, 1);
          r.reportedReady = true;
          console.event("ingester %s: ready (/q/health/ready answers)", e.getKey());
        }
      } catch (KubernetesClientException ex) {
        // the Deployment went away meanwhile, or the API server is stopping; the next probe retries
      }
    }
  }

  /** Writes the counts the deployment controller would. */
  private void report(String namespace, String name, int replicas, int ready) {
    Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
    if (d == null) {
      return;
    }
    d.setStatus(
        new DeploymentStatusBuilder()
            .withObservedGeneration(d.getMetadata().getGeneration())
            .withReplicas(replicas)
            .withUpdatedReplicas(replicas)
            .withReadyReplicas(ready)
            .withAvailableReplicas(ready)
            .build());
    client.resource(d).updateStatus();
  }

  private ConfigMap configMap(Deployment d) {
    String name =
        d.getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(v -> "config".equals(v.getName()) && v.getConfigMap() != null)
            .map(Volume::getConfigMap)
            .map(c -> c.getName())
            .findFirst()
            .orElse(d.getMetadata().getName());
    return client.configMaps().inNamespace(d.getMetadata().getNamespace()).withName(name).get();
  }

  private boolean ownerGone(Deployment d) {
    return d.getMetadata().getOwnerReferences().stream()
        .filter(o -> o.getApiVersion().startsWith(Groups.SIEM + "/"))
        .anyMatch(
            o -> {
              var owner =
                  client
                      .genericKubernetesResources(o.getApiVersion(), o.getKind())
                      .inNamespace(d.getMetadata().getNamespace())
                      .withName(o.getName())
                      .get();
              return owner == null || !o.getUid().equals(owner.getMetadata().getUid());
            });
  }

  private static String hash(Deployment d) {
    Map<String, String> annotations = d.getSpec().getTemplate().getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(HASH);
  }

  private static String key(Deployment d) {
    return d.getMetadata().getNamespace() + "/" + d.getMetadata().getName();
  }

  private void stop(String key) {
    Running r = running.remove(key);
    if (r != null) {
      r.process.stop(Duration.ofSeconds(30));
    }
  }

  @Override
  public void close() {
    probes.shutdownNow();
    if (informer != null) {
      informer.close();
    }
    List<Thread> stopping = new ArrayList<>();
    for (String key : List.copyOf(running.keySet())) {
      Thread t = new Thread(() -> stop(key), "demo-stop-" + key);
      t.start();
      stopping.add(t);
    }
    for (Thread t : stopping) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
