package dev.vigil.parts;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Installs the committed CRDs ({@code crds/*.siem.vigil.dev.yaml}, what users install) with
 * server-side apply and waits until the API server serves each of them.
 */
public final class VigilCrds {
  private VigilCrds() {}

  public static List<CustomResourceDefinition> install(KubernetesClient client, Path crds) {
    List<CustomResourceDefinition> applied = new ArrayList<>();
    try (Stream<Path> files = Files.list(crds)) {
      for (Path file :
          files
              .filter(f -> f.getFileName().toString().endsWith(".siem.vigil.dev.yaml"))
              .sorted()
              .toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          CustomResourceDefinition crd =
              client.apiextensions().v1().customResourceDefinitions().load(in).item();
          applied.add(
              client
                  .apiextensions()
                  .v1()
                  .customResourceDefinitions()
                  .resource(crd)
                  .forceConflicts()
                  .serverSideApply());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CRDs in " + crds, e);
    }
    for (CustomResourceDefinition crd : applied) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(crd.getMetadata().getName())
          .waitUntilCondition(
              c ->
                  c != null
                      && c.getStatus() != null
                      && c.getStatus().getConditions() != null
                      && c.getStatus().getConditions().stream()
                          .anyMatch(
                              s ->
                                  "Established".equals(s.getType())
                                      && "True".equals(s.getStatus())),
              60,
              TimeUnit.SECONDS);
    }
    return applied;
  }
}
