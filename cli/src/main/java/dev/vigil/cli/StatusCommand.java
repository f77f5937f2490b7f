package dev.vigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.api.v1alpha1.Groups;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vigil status}: the Ready condition of every Vigil resource in a namespace, one line each —
 * the single pane of glass over connections, log sources, detections, channels, dashboards and
 * snapshot policies.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Summarize the health of every Vigil resource in a namespace (their Ready conditions).",
      "Exit 0 when all are Ready, 1 when any is not (or has no status yet), 3 when the cluster",
      "cannot be read."
    })
final class StatusCommand implements Callable<Integer> {
  static final String API_VERSION = Groups.API_VERSION;
  static final List<String> KINDS = Groups.KINDS;

  @Mixin KubeOptions kube;

  @Option(
      names = {"-A", "--all-namespaces"},
      description = "All namespaces.")
  boolean allNamespaces;

  @Option(
      names = {"-o", "--output"},
      description = "Output format: table (default), json or yaml (a list of rows, for scripts).",
      defaultValue = "table")
  Output output;

  enum Output {
    table,
    json,
    yaml
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  record Row(
      String kind, String namespace, String name, String ready, String reason, String message) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Row> rows = new ArrayList<>();
    try (KubernetesClient client = kube.client()) {
      try {
        String namespace = kube.namespace(client);
        for (String kind : KINDS) {
          var resources = client.genericKubernetesResources(API_VERSION, kind);
          List<GenericKubernetesResource> items;
          try {
            items =
                allNamespaces
                    ? resources.inAnyNamespace().list().getItems()
                    : resources.inNamespace(namespace).list().getItems();
          } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
              err.println(kind + ": not installed (CRD missing)");
              continue;
            }
            throw e;
          }
          for (GenericKubernetesResource item : items) {
            rows.add(row(kind, item));
          }
        }
        if (rows.isEmpty() && output == Output.table) {
          out.println(
              "No Vigil resources in "
                  + (allNamespaces ? "any namespace" : "namespace " + namespace));
          return 0;
        }
      } catch (KubernetesClientException e) {
        err.println("cannot read Vigil resources: " + KubeOptions.describe(e, client));
        return ExitCodes.UNREACHABLE;
      }
    }
    long notReady = rows.stream().filter(r -> !r.ready().equals("True")).count();
    int exit = notReady == 0 ? ExitCodes.OK : ExitCodes.NOT_OK;
    if (output != Output.table) {
      ObjectMapper mapper =
          output == Output.json ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
      out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(rows));
      return exit;
    }
    print(out, rows);
    out.println();
    out.println(
        rows.size() - notReady + "/" + rows.size() + " Ready" + (notReady > 0 ? "" : ", all good"));
    return exit;
  }

  @SuppressWarnings("unchecked")
  static Row row(String kind, GenericKubernetesResource item) {
    Object statusObject = item.getAdditionalProperties().get("status");
    Map<String, Object> status =
        statusObject instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    String ready = "Unknown";
    String reason = "NoStatus";
    String message = "the operator has not reported on it yet";
    if (status.get("conditions") instanceof List<?> conditions) {
      for (Object c : conditions) {
        if (c instanceof Map<?, ?> condition && "Ready".equals(condition.get("type"))) {
          ready = String.valueOf(condition.get("status"));
          reason = String.valueOf(condition.get("reason"));
          message = condition.get("message") == null ? "" : condition.get("message").toString();
        }
      }
    }
    Object observed = status.get("observedGeneration");
    Long generation = item.getMetadata().getGeneration();
    if (generation != null
        && observed instanceof Number n
        && n.longValue() < generation
        && !reason.equals("NoStatus")) {
      message = "(spec changed, not yet acted on) " + message;
    }
    return new Row(
        kind,
        item.getMetadata().getNamespace(),
        item.getMetadata().getName(),
        ready,
        reason,
        message);
  }

  private void print(PrintWriter out, List<Row> rows) {
    String format =
        "%-"
            + width(rows, Row::kind, "KIND")
            + "s  %-"
            + width(rows, r -> allNamespaces ? r.namespace() + "/" + r.name() : r.name(), "NAME")
            + "s  %-7s  %-"
            + width(rows, Row::reason, "REASON")
            + "s  %s%n";
    out.printf(format, "KIND", "NAME", "READY", "REASON", "MESSAGE");
    for (Row r : rows) {
      out.printf(
          format,
          r.kind(),
          allNamespaces ? r.namespace() + "/" + r.name() : r.name(),
          r.ready(),
          r.reason(),
          r.message());
    }
  }

  private static int width(
      List<Row> rows, java.util.function.Function<Row, String> field, String header) {
    return Math.max(
        header.length(), rows.stream().mapToInt(r -> field.apply(r).length()).max().orElse(0));
  }
}
