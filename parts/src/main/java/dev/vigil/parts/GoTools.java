package dev.vigil.parts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The Go command-line tools the deploy tests run, built from Go modules into the cache on first use
 * by {@code parts/scripts/ensure-go-tool.sh}: Helm, promtool, an Argo CD health-script runner, and
 * kubectl (with its built-in kustomize) from the kube binaries.
 */
public final class GoTools {
  private GoTools() {}

  public static Path helm() {
    return BundledScripts.run("ensure-go-tool.sh", "helm");
  }

  public static Path promtool() {
    return BundledScripts.run("ensure-go-tool.sh", "promtool");
  }

  /** {@code lua-health SCRIPT < objects.json}: Argo CD's Lua VM on each object; see the script. */
  public static Path luaHealth() {
    return BundledScripts.run("ensure-go-tool.sh", "lua-health");
  }

  public static Path kubectl() {
    return BundledScripts.run("ensure-kube-binaries.sh").resolve("bin/kubectl");
  }

  /** What a command printed and how it ended. */
  public record Result(int exit, String stdout, String stderr) {
    /** Both streams, for assertion messages. */
    public String output() {
      return stdout + stderr;
    }
  }

  /** Runs a command to its end, with {@code stdin} (may be empty) as its standard input. */
  public static Result run(List<String> command, String stdin) {
    try {
      Process process = new ProcessBuilder(command).start();
      CompletableFuture<String> err = drain(process.getErrorStream());
      CompletableFuture<String> out = drain(process.getInputStream());
      try (OutputStream in = process.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      int exit = process.waitFor();
      return new Result(exit, out.join(), err.join());
    } catch (IOException e) {
      throw new PartStartException("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PartStartException("interrupted while running " + command, e);
    }
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          try (stream) {
            stream.transferTo(bytes);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          return bytes.toString(StandardCharsets.UTF_8);
        });
  }
}
