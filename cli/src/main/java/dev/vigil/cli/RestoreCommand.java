package dev.vigil.cli;

import dev.vigil.api.v1alpha1.SnapshotPolicy;
import dev.vigil.api.v1alpha1.SnapshotPolicyStatus.RestoreStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vigil restore}: asks the operator to restore one day's indices from a SnapshotPolicy's
 * snapshots (by annotating the policy) and waits for its answer in the policy's status. The CLI
 * needs no OpenSearch credentials: the operator already has them.
 */
@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description = {
      "Restore one day's time-partitioned indices from the newest snapshot of a SnapshotPolicy",
      "that holds them, as restored-<index> (live indices are never touched).",
      "Exit 0 when restored, 1 when there was nothing to restore or it failed, 2 on timeout."
    })
final class RestoreCommand implements Callable<Integer> {
  @Mixin KubeOptions kube;

  @Option(names = "--policy", required = true, paramLabel = "NAME", description = "SnapshotPolicy.")
  String policy;

  @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", description = "The day.")
  String date;

  @Option(
      names = "--indices",
      paramLabel = "LIST",
      description =
          "Comma-separated log types (cloudtrail) or index patterns; default: all Vigil indices.")
  String indices;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "600",
      description = "How long to wait for the operator (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      LocalDate.parse(date);
    } catch (DateTimeParseException e) {
      err.println("--date: '" + date + "' is not a day like 2026-11-01");
      return ExitCodes.USAGE;
    }
    String request = Long.toString(System.currentTimeMillis(), 36);
    try (KubernetesClient client = kube.client()) {
      String namespace = kube.namespace(client);
      var resource = client.resources(SnapshotPolicy.class).inNamespace(namespace).withName(policy);
      if (resource.get() == null) {
        err.println("SnapshotPolicy " + namespace + "/" + policy + " not found");
        return ExitCodes.NOT_FOUND;
      }
      Map<String, String> annotations = new HashMap<>();
      annotations.put(SnapshotPolicy.RESTORE_ANNOTATION, date);
      annotations.put(SnapshotPolicy.RESTORE_INDICES_ANNOTATION, indices); // null removes it
      annotations.put(SnapshotPolicy.RESTORE_REQUEST_ANNOTATION, request);
      String patch =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .writeValueAsString(Map.of("metadata", Map.of("annotations", annotations)));
      resource.patch(
          io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
              io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
          patch);
      out.println(
          "Asked the operator to restore "
              + date
              + (indices == null ? "" : " (" + indices + ")")
              + " from SnapshotPolicy "
              + namespace
              + "/"
              + policy
              + "…");
      out.flush();
      Instant deadline = Instant.now().plus(Duration.ofSeconds(timeoutSeconds));
      while (Instant.now().isBefore(deadline)) {
        SnapshotPolicy current = resource.get();
        RestoreStatus last =
            current == null || current.getStatus() == null ? null : current.getStatus().lastRestore;
        if (last != null && request.equals(last.request)) {
          out.println(last.state + ": " + last.message);
          if (last.restoredIndices != null) {
            last.restoredIndices.forEach(i -> out.println("  " + i));
          }
          return "Restored".equals(last.state) ? ExitCodes.OK : ExitCodes.NOT_OK;
        }
        Thread.sleep(1000);
      }
      err.println(
          "no answer from the operator within "
              + timeoutSeconds
              + " s; is it running? (kubectl describe snapshotpolicy "
              + policy
              + ")");
      return ExitCodes.TIMEOUT;
    }
  }
}
