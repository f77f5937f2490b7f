package dev.vigil.cli.demo;

import dev.vigil.parts.VigilCrds;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** Installs the committed CRDs from {@code crds/} (what users install) and waits until served. */
final class CrdInstaller {
  private CrdInstaller() {}

  static List<String> install(KubernetesClient client, Path crds) {
    try {
      return VigilCrds.install(client, crds).stream()
          .map(c -> c.getSpec().getNames().getKind())
          .sorted()
          .toList();
    } catch (UncheckedIOException e) {
      throw new DemoException(e.getMessage() + ": " + e.getCause().getMessage(), e);
    }
  }
}
