package dev.vigil.cli;

import dev.vigil.api.v1alpha1.Groups;
import dev.vigil.core.rules.Attribution;
import dev.vigil.core.rules.CompiledRule;
import dev.vigil.core.rules.RuleManifest;
import dev.vigil.core.rules.sigma.SigmaConverter;
import dev.vigil.core.rules.sigma.SigmaRule;
import java.util.Locale;

/** A converted Sigma rule as a DetectionRule manifest that keeps the Sigma text and its credits. */
final class SigmaManifests {
  private SigmaManifests() {}

  /** A Kubernetes name from a rule file name: lowercase, dashes. */
  static String name(String file) {
    String n = file.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    return ("sigma-" + n).length() > 63
        ? ("sigma-" + n).substring(0, 63).replaceAll("-$", "")
        : "sigma-" + n;
  }

  static String manifest(String file, String sigma, CompiledRule rule, String index) {
    SigmaRule parsed = new SigmaConverter(index != null).convert(sigma);
    Attribution a = rule.attribution();
    StringBuilder y = new StringBuilder();
    y.append("# ").append(a.line()).append('\n');
    y.append("# Converted by `vigil sigma convert --manifest` from SigmaHQ (")
        .append(file)
        .append(".yml).\n");
    for (String ref : a.references()) {
      y.append("# Reference: ").append(ref).append('\n');
    }
    y.append("apiVersion: ").append(Groups.API_VERSION).append('\n');
    y.append("kind: ").append(RuleManifest.KIND).append('\n');
    y.append("metadata:\n");
    y.append("  name: ").append(name(file)).append('\n');
    y.append("  labels:\n    app.kubernetes.io/part-of: vigil-sigma\n");
    y.append("  annotations:\n");
    y.append("    siem.vigil.dev/sigma-id: ")
        .append(quote(a.id() == null ? "" : a.id()))
        .append('\n');
    y.append("    siem.vigil.dev/sigma-author: ")
        .append(quote(a.author() == null ? "" : a.author()))
        .append('\n');
    y.append("    siem.vigil.dev/license: ").append(quote(a.license())).append('\n');
    y.append("spec:\n");
    y.append("  description: ").append(quote(a.title())).append('\n');
    y.append("  severity: ").append(parsed.severity()).append('\n');
    SigmaTags tags = SigmaTags.of(parsed.tags());
    if (!tags.other().isEmpty()) {
      y.append("  tags:\n");
      tags.other().forEach(t -> y.append("    - ").append(quote(t)).append('\n'));
    }
    if (!tags.mitre().isEmpty()) {
      y.append("  mitre:\n");
      for (SigmaTags.Entry e : tags.mitre()) {
        y.append("    - tactic: ").append(e.tactic().name()).append('\n');
        if (e.technique() != null) {
          y.append("      technique: ").append(e.technique()).append('\n');
        }
      }
    }
    if (index != null) {
      y.append("  indexPattern: ").append(quote(index)).append('\n');
    }
    y.append("  sigma: |\n");
    for (String line : sigma.replace("\t", "    ").split("\n", -1)) {
      y.append(line.isBlank() ? "" : "    " + line).append('\n');
    }
    return y.toString().replaceAll("\n+$", "\n");
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
