package dev.vigil.cli;

import dev.vigil.core.rules.RuleException;
import dev.vigil.core.rules.RuleManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Finds and reads DetectionRule manifests under files and directories. */
final class RuleFiles {
  private RuleFiles() {}

  /** Every .yaml/.yml file under the paths (directories recursively), sorted. */
  static List<Path> yamlFiles(List<Path> paths) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(Files::isRegularFile)
              .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
              .sorted()
              .forEach(out::add);
        }
      } else {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * The DetectionRule manifests of the paths; problems are printed as {@code file:line: message}
   * and counted in {@code errors[0]}.
   */
  static List<RuleManifest> read(List<Path> paths, PrintWriter err, int[] errors)
      throws IOException {
    List<RuleManifest> out = new ArrayList<>();
    for (Path file : yamlFiles(paths)) {
      if (!Files.exists(file)) {
        err.println(file + ": no such file");
        errors[0]++;
        continue;
      }
      try {
        out.addAll(RuleManifest.read(Files.readString(file), file.toString()));
      } catch (RuleException e) {
        err.println(where(file.toString(), e) + message(e));
        errors[0]++;
      }
    }
    return out;
  }

  static String where(String file, RuleException e) {
    return e.line() > 0 ? file + ":" + e.line() + ": " : file + ": ";
  }

  static String message(RuleException e) {
    return e.getMessage().replaceFirst("^line [0-9]+: ", "");
  }
}
