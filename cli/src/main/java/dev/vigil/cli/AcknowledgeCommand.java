package dev.vigil.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.v1alpha1.DetectionRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil ack}: adds alert ids to a DetectionRule's acknowledge annotation, keeping those
 * already there (a {@code kubectl annotate --overwrite} would replace them). The operator's next
 * run of the rule moves those ACTIVE alerts to ACKNOWLEDGED.
 */
@Command(
    name = "ack",
    mixinStandardHelpOptions = true,
    description = {
      "Acknowledge alerts of a DetectionRule run by the built-in engine: the alert ids are added",
      "to its annotation "
          + DetectionRule.ACKNOWLEDGE_ANNOTATION
          + ", and the next run moves those",
      "ACTIVE alerts to ACKNOWLEDGED. Exit 0 when recorded, 1 when the rule does not exist."
    })
final class AcknowledgeCommand implements Callable<Integer> {
  private static final int ATTEMPTS = 5;

  @Mixin KubeOptions kube;

  @Parameters(index = "0", paramLabel = "RULE", description = "DetectionRule name.")
  String rule;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "ALERT_ID",
      description = "Alert ids (the id field of the alert in vigil-alerts).")
  List<String> alertIds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (KubernetesClient client = kube.client()) {
      String namespace = kube.namespace(client);
      Added added = add(client, namespace, rule, alertIds);
      if (added == null) {
        err.println("DetectionRule " + namespace + "/" + rule + " not found");
        return ExitCodes.NOT_FOUND;
      }
      out.println("DetectionRule " + namespace + "/" + rule + ": " + added);
      return ExitCodes.OK;
    }
  }

  /** What {@link #add} changed: ids new to the annotation, and how many it holds now. */
  record Added(int added, int total) {
    @Override
    public String toString() {
      return added
          + " alert id(s) added, "
          + total
          + " to acknowledge; the next run moves those ACTIVE alerts to ACKNOWLEDGED";
    }
  }

  /**
   * Adds alert ids to the rule's acknowledge annotation (also used by {@code vigil alerts ack});
   * null when the rule does not exist.
   */
  static Added add(
      KubernetesClient client, String namespace, String rule, Collection<String> alertIds)
      throws JsonProcessingException {
    return add(client, namespace, rule, DetectionRule.ACKNOWLEDGE_ANNOTATION, alertIds);
  }

  /**
   * Adds alert ids to one of the rule's alert-id annotations (acknowledge, close), keeping those
   * there; null when the rule does not exist.
   */
  static Added add(
      KubernetesClient client,
      String namespace,
      String rule,
      String annotation,
      Collection<String> alertIds)
      throws JsonProcessingException {
    var resource = client.resources(DetectionRule.class).inNamespace(namespace).withName(rule);
    for (int attempt = 1; ; attempt++) {
      DetectionRule current = resource.get();
      if (current == null) {
        return null;
      }
      Map<String, String> annotations = current.getMetadata().getAnnotations();
      Set<String> ids = ids(annotations == null ? null : annotations.get(annotation));
      int before = ids.size();
      ids.addAll(alertIds);
      // The resourceVersion makes the patch fail if someone else changed the rule meanwhile, so
      // no id another user added is lost; then read again and retry.
      String patch =
          new ObjectMapper()
              .writeValueAsString(
                  Map.of(
                      "metadata",
                      Map.of(
                          "resourceVersion",
                          current.getMetadata().getResourceVersion(),
                          "annotations",
                          Map.of(annotation, String.join(",", ids)))));
      try {
        resource.patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409 && attempt < ATTEMPTS) {
          continue;
        }
        throw e;
      }
      return new Added(ids.size() - before, ids.size());
    }
  }

  /**
   * The ids already in the annotation, in order (comma- or space-separated, as the engine reads).
   */
  static Set<String> ids(String annotation) {
    Set<String> ids = new LinkedHashSet<>();
    if (annotation != null) {
      for (String id : annotation.split("[,\\s]+")) {
        if (!id.isEmpty()) {
          ids.add(id);
        }
      }
    }
    return ids;
  }
}
