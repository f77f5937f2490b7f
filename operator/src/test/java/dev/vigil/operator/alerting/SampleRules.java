package dev.vigil.operator.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.rules.Attack;
import dev.vigil.core.rules.CompiledRule;
import dev.vigil.core.rules.Durations;
import dev.vigil.core.rules.RuleCompiler;
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
  record Sample(RuleManifest manifest, CompiledRule compiled, RuleInfo info) {
    DesiredMonitor render(MonitorRenderer renderer, List<ChannelTarget> channels) {
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
    CompiledRule compiled = m.compile(RuleCompiler.defaults());
    JsonNode spec = m.tree().root().path("spec");
    List<String> tags = new ArrayList<>();
    spec.path("tags").forEach(t -> tags.add(t.asText()));
    String suppression = spec.path("suppression").path("window").asText(null);
    RuleInfo info =
        new RuleInfo(
            namespace,
            m.name(),
            m.severity(),
            spec.path("description").asText(null),
            tags,
            Attack.fromSpec(spec),
            Durations.parse(spec.path("interval").asText("5m"), "interval"),
            spec.path("message").asText(null),
            suppression == null ? null : Durations.parse(suppression, "suppression.window"));
    return new Sample(m, compiled, info);
  }
}
