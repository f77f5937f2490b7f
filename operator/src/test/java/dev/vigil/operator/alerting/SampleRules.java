package dev.vigil.operator.alerting;

import dev.vigil.core.alerts.DesiredMonitor;
import dev.vigil.core.alerts.MonitorDestination;
import dev.vigil.core.alerts.MonitorRenderer;
import dev.vigil.core.rules.CompiledRule;
import dev.vigil.core.rules.RuleCompiler;
import dev.vigil.core.rules.RuleDefinition;
import dev.vigil.core.rules.RuleManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The repository's samples/detections rules, compiled, with what a monitor needs of them. */
final class SampleRules {
  record Sample(RuleManifest manifest, CompiledRule compiled, RuleDefinition info) {
    DesiredMonitor render(MonitorRenderer renderer, List<MonitorDestination> channels) {
      return renderer.render(compiled, info, channels);
    }

    @Override
    public String toString() {
      return manifest.name();
    }
  }

  private SampleRules() {}

  private static List<Sample> cached;

  static synchronized List<Sample> all() {
    if (cached == null) {
      cached = load();
    }
    return cached;
  }

  private static List<Sample> load() {
    List<Sample> out = new ArrayList<>();
    Path dir = dev.vigil.testing.RepositoryRoot.find().resolve("samples");
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f :
          files
              .filter(p -> p.toString().endsWith(".yaml"))
              .filter(p -> !p.startsWith(dir.resolve("demo"))) // copies of these, for the demo
              .sorted()
              .toList()) {
        for (RuleManifest m : RuleManifest.read(Files.readString(f), f.toString())) {
          out.add(of(m, "vigil"));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(out);
  }

  static Sample named(String name) {
    return all().stream()
        .filter(s -> s.manifest().name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no sample rule " + name));
  }

  static Sample of(RuleManifest m, String namespace) {
    return new Sample(m, m.compile(RuleCompiler.defaults()), m.definition().inNamespace(namespace));
  }

  /** The rule under another name and severity, without its ATT&CK entries. */
  static RuleDefinition renamed(RuleDefinition base, String namespace, String name, int severity) {
    return new RuleDefinition(
        namespace,
        name,
        base.description(),
        severity,
        base.tags(),
        List.of(),
        base.source(),
        base.interval(),
        base.message(),
        base.suppression(),
        base.monitorType(),
        base.channels());
  }
}
