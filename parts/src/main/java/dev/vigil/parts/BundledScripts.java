package dev.vigil.parts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Runs the install scripts that ship in this jar (from {@code parts/scripts/}). Each is idempotent,
 * prints progress on stderr (passed through, so a first-time download or build is visible) and the
 * path it prepared as the last line of stdout.
 */
final class BundledScripts {
  private BundledScripts() {}

  static Path run(String script, String... args) {
    Path file = extract(script);
    try {
      List<String> command = new java.util.ArrayList<>(List.of("bash", file.toString()));
      command.addAll(List.of(args));
      Process process =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      process.getOutputStream().close();
      ByteArrayOutputStream stdout = new ByteArrayOutputStream();
      process.getInputStream().transferTo(stdout);
      int code = process.waitFor();
      List<String> lines =
          stdout.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
      if (code != 0 || lines.isEmpty()) {
        throw new PartStartException(
            script + " failed with exit code " + code + " (its messages are above, on stderr)");
      }
      return Path.of(lines.get(lines.size() - 1).trim());
    } catch (IOException e) {
      throw new PartStartException("cannot run " + script + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PartStartException("interrupted while running " + script, e);
    }
  }

  /**
   * Writes a bundled script into the cache and returns its path (for scripts run with arguments).
   */
  static Path extract(String script) {
    String resource = "scripts/" + script;
    try (InputStream in = BundledScripts.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new PartStartException("script " + resource + " is missing from the vigil-parts jar");
      }
      Path dir = Files.createDirectories(VigilCache.root().resolve("scripts"));
      Path tmp = Files.createTempFile(dir, script, ".tmp");
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      return Files.move(
          tmp,
          dir.resolve(script),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new PartStartException("cannot extract " + resource + ": " + e.getMessage(), e);
    }
  }
}
