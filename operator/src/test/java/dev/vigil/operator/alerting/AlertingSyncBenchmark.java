package dev.vigil.operator.alerting;

import dev.vigil.core.alerts.DesiredMonitor;
import dev.vigil.core.alerts.MonitorDestination;
import dev.vigil.core.alerts.MonitorRenderer;
import dev.vigil.core.alerts.VigilMarker;
import dev.vigil.core.rules.RuleDefinition;
import dev.vigil.operator.opensearch.OpenSearchRest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Scale harness (not a test): renders and syncs N rules (default 1,000, {@code -Dbench.rules=N})
 * against {@link AlertingContractServer} and prints the time of the first sync, of the steady-state
 * re-syncs (by known id and by name search) and of a 1% change, with the write requests of each.
 * Exits non-zero when the steady state writes anything. Run with {@code make bench-alerting}.
 *
 * <p>The rules are the samples/ DetectionRules, cycled under distinct names, so every monitor type
 * Vigil renders is in the mix.
 */
public final class AlertingSyncBenchmark {
  private AlertingSyncBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.getInteger("bench.rules", 1000);
    List<SampleRules.Sample> samples = SampleRules.all();
    MonitorRenderer renderer = new MonitorRenderer();
    List<MonitorDestination> channels =
        List.of(
            new MonitorDestination(
                "pager", VigilMarker.channelConfigId("bench", "pager"), Set.of(1)),
            new MonitorDestination("chat", VigilMarker.channelConfigId("bench", "chat"), Set.of()));
    try (AlertingContractServer server = new AlertingContractServer()) {
      OpenSearchRest rest = server.rest();
      List<MonitorSync.Known> known = new ArrayList<>();

      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        MonitorSync.Result r = MonitorSync.sync(rest, render(renderer, samples, i, channels, 0));
        known.add(new MonitorSync.Known(r.monitorId(), r.version()));
      }
      report("initial sync", n, t0, server);

      server.resetCounts();
      t0 = System.nanoTime();
      int unchanged = 0;
      for (int i = 0; i < n; i++) {
        MonitorSync.Result r =
            MonitorSync.sync(rest, render(renderer, samples, i, channels, 0), known.get(i));
        unchanged += r.action() == SyncAction.UNCHANGED ? 1 : 0;
      }
      int steadyWrites = server.writes();
      report("steady state, by known id", n, t0, server);

      server.resetCounts();
      t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        unchanged +=
            MonitorSync.sync(rest, render(renderer, samples, i, channels, 0)).action()
                    == SyncAction.UNCHANGED
                ? 1
                : 0;
      }
      steadyWrites += server.writes();
      report("steady state, by name search", n, t0, server);

      server.resetCounts();
      t0 = System.nanoTime();
      int changed = Math.max(1, n / 100);
      for (int i = 0; i < changed; i++) {
        MonitorSync.sync(rest, render(renderer, samples, i, channels, 1), known.get(i));
      }
      report("1% of rules changed", changed, t0, server);

      Runtime rt = Runtime.getRuntime();
      System.gc();
      System.out.printf(
          "monitors stored: %d; heap in use after GC (client + contract server): %d MiB%n",
          server.monitors().size(), (rt.totalMemory() - rt.freeMemory()) >> 20);
      System.out.printf(
          "steady state: %d of %d syncs UNCHANGED, %d write requests%n",
          unchanged, 2 * n, steadyWrites);
      if (steadyWrites != 0 || unchanged != 2 * n || server.monitors().size() != n) {
        System.out.println(
            "FAILED: the steady state must write nothing and keep one monitor per rule");
        System.exit(1);
      }
    }
  }

  private static DesiredMonitor render(
      MonitorRenderer renderer,
      List<SampleRules.Sample> samples,
      int i,
      List<MonitorDestination> channels,
      int revision) {
    SampleRules.Sample s = samples.get(i % samples.size());
    RuleDefinition base = s.info();
    RuleDefinition info =
        SampleRules.renamed(
            base,
            "bench",
            base.name() + "-" + i,
            revision == 0 ? base.severity() : 1 + base.severity() % 5);
    return renderer.render(s.compiled(), info, channels);
  }

  private static void report(String phase, int syncs, long startNanos, AlertingContractServer s) {
    double ms = (System.nanoTime() - startNanos) / 1e6;
    System.out.printf(
        "%-30s %5d syncs in %8.0f ms (%6.2f ms/sync), %5d reads, %5d writes%n",
        phase, syncs, ms, ms / syncs, s.reads(), s.writes());
  }
}
