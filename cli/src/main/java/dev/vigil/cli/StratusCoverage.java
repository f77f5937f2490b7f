package dev.vigil.cli;

import dev.vigil.core.rules.RuleManifest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which of Stratus Red Team's AWS attack techniques the shipped rules detect: each rule names the
 * techniques it catches in the annotation {@value #ANNOTATION} (comma-separated ids), and the
 * catalogue ({@code stratus-red-team-aws.tsv} beside this class) lists every technique with, for
 * those no rule catches, the reason.
 */
final class StratusCoverage {
  static final String ANNOTATION = "siem.vigil.dev/stratus-red-team";
  private static final String CATALOGUE = "stratus-red-team-aws.tsv";

  private StratusCoverage() {}

  /** Technique id to why no rule detects it ("" when that is not recorded). */
  static Map<String, String> catalogue() {
    Map<String, String> out = new LinkedHashMap<>();
    try (InputStream in = StratusCoverage.class.getResourceAsStream(CATALOGUE);
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] cells = line.split("\t", 2);
        out.put(cells[0].strip(), cells.length > 1 ? cells[1].strip() : "");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + CATALOGUE, e);
    }
    return out;
  }

  /**
   * The "Stratus Red Team" section of the coverage map.
   *
   * @throws IllegalArgumentException when a rule names a technique the catalogue does not have
   */
  static void append(StringBuilder md, List<RuleManifest> manifests) {
    Map<String, String> catalogue = catalogue();
    Map<String, TreeSet<String>> rulesOf = new LinkedHashMap<>();
    catalogue.keySet().forEach(id -> rulesOf.put(id, new TreeSet<>()));
    for (RuleManifest m : manifests) {
      String claimed =
          m.tree().root().path("metadata").path("annotations").path(ANNOTATION).asText("");
      for (String id : claimed.split(",")) {
        if (id.isBlank()) {
          continue;
        }
        TreeSet<String> rules = rulesOf.get(id.strip());
        if (rules == null) {
          throw new IllegalArgumentException(
              m.file()
                  + ": metadata.annotations."
                  + ANNOTATION
                  + ": "
                  + id.strip()
                  + " is not a Stratus Red Team AWS technique (see "
                  + CATALOGUE
                  + ")");
        }
        rules.add("`" + m.name() + "`");
      }
    }
    long covered = rulesOf.values().stream().filter(rules -> !rules.isEmpty()).count();
    md.append("\n## Stratus Red Team (AWS)\n\n")
        .append(
            "Each of [Stratus Red Team](https://stratus-red-team.cloud/)'s AWS attack techniques")
        .append(" and the rules that detect its detonation (annotation `")
        .append(ANNOTATION)
        .append("`): ")
        .append(covered)
        .append(" of ")
        .append(catalogue.size())
        .append(" covered.\n\n| technique | rules |\n|---|---|\n");
    rulesOf.forEach(
        (id, rules) ->
            md.append("| `")
                .append(id)
                .append("` | ")
                .append(rules.isEmpty() ? "none: " + catalogue.get(id) : String.join("<br>", rules))
                .append(" |\n"));
  }
}
