package dev.vigil.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
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

  String namespace(KubernetesClient client) {
    String ns = namespace != null ? namespace : client.getNamespace();
    return ns == null ? "default" : ns;
  }
}
