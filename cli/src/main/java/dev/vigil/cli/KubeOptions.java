package dev.vigil.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How commands that read Vigil resources reach Kubernetes: kubeconfig, context, namespace. */
final class KubeOptions {
  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "Kubeconfig file (default: $KUBECONFIG or ~/.kube/config, or in-cluster).")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME", description = "Kubeconfig context to use.")
  String context;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NAMESPACE",
      description = "Namespace (default: the context's namespace).")
  String namespace;

  KubernetesClient client() throws IOException {
    Config config =
        kubeconfig != null
            ? Config.fromKubeconfig(context, Files.readString(kubeconfig), kubeconfig.toString())
            : Config.autoConfigure(context);
    if (namespace != null) {
      config.setNamespace(namespace);
    }
    // A command line answers fast when the cluster is unreachable (exit 3) instead of retrying
    // for a minute as the client does by default.
    config.setRequestRetryBackoffLimit(1);
    config.setConnectionTimeout(10_000);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * Why a request failed, with the API server it went to and the underlying cause: the client's own
   * message is often only "An error has occurred."
   */
  static String describe(KubernetesClientException e, KubernetesClient client) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String why = cause == e ? e.getMessage() : e.getMessage() + " (" + cause + ")";
    return why
        + " — API server "
        + client.getMasterUrl()
        + " (from --kubeconfig, else $KUBECONFIG or ~/.kube/config, else in-cluster)";
  }

  String namespace(KubernetesClient client) {
    String ns = namespace != null ? namespace : client.getNamespace();
    return ns == null ? "default" : ns;
  }
}
