package dev.vigil.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What an image of a Vigil Quarkus app (operator, ingester) must be to run under Vigil's manifests
 * (the kustomize base, the ingester Deployments the operator writes): a numeric non-root user that
 * {@code runAsNonRoot} accepts, the fast-jar in {@code /deployments} as the working directory
 * (config is mounted at {@code /deployments/config}), port 8080 for the probes, a Java runtime on
 * the PATH, and no shell. The build's images profile makes them; the *ImageIT tests check them.
 */
public final class AppImageChecks {
  /** The app's directory and working directory; IngesterWorkload mounts config below it. */
  public static final String APP_DIR = "/deployments";

  private static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "ash", "zsh", "busybox");
  private static final List<String> PROGRAM_DIRS =
      List.of("/bin", "/sbin", "/usr/bin", "/usr/sbin");

  private AppImageChecks() {}

  /**
   * Everything wrong with the image, one sentence each (empty when it is right).
   *
   * @param reference the image reference the build tags it with
   * @param user the image's {@code uid:gid}
   * @param appJar the app's own jar, as Quarkus names it in {@code app/}
   * @param libraries Vigil's jars that must be in {@code lib/main/}
   */
  public static List<String> problems(
      ImageArchive image, String reference, String user, String appJar, List<String> libraries) {
    List<String> problems = new ArrayList<>();
    JsonNode run = image.runConfig();

    if (!image.repoTags().equals(List.of(reference))) {
      problems.add("tagged " + image.repoTags() + ", expected [" + reference + "]");
    }

    String imageUser = run.path("User").asText();
    if (!imageUser.equals(user)) {
      problems.add("user is '" + imageUser + "', expected '" + user + "'");
    }
    if (!imageUser.matches("[0-9]+:[0-9]+") || imageUser.startsWith("0:")) {
      problems.add("user '" + imageUser + "' is not a numeric non-root uid:gid (runAsNonRoot)");
    } else {
      String uid = imageUser.substring(0, imageUser.indexOf(':'));
      boolean named =
          image.entry("/etc/passwd").isPresent()
              && image
                  .text("/etc/passwd")
                  .lines()
                  .map(l -> l.split(":"))
                  .anyMatch(f -> f.length > 2 && f[2].equals(uid));
      if (!named) {
        problems.add("uid " + uid + " has no line in /etc/passwd");
      }
    }

    if (!APP_DIR.equals(run.path("WorkingDir").asText())) {
      problems.add("working directory is '" + run.path("WorkingDir").asText() + "'");
    }
    if (!run.path("ExposedPorts").has("8080/tcp")) {
      problems.add("port 8080/tcp is not exposed");
    }

    List<String> entrypoint = new ArrayList<>();
    run.path("Entrypoint").forEach(a -> entrypoint.add(a.asText()));
    String jar = APP_DIR + "/quarkus-run.jar";
    if (entrypoint.size() < 3
        || !(entrypoint.get(0).equals("java") || entrypoint.get(0).endsWith("/java"))
        || !entrypoint
            .subList(entrypoint.size() - 2, entrypoint.size())
            .equals(List.of("-jar", jar))) {
      problems.add("entrypoint " + entrypoint + " does not run java -jar " + jar);
    }
    if (javaOnPath(image, run).isEmpty()) {
      problems.add("no executable java in the PATH of " + run.path("Env"));
    }
    if (image.entry("/opt/java/lib/security/cacerts").map(e -> e.size() == 0).orElse(true)) {
      problems.add("the Java runtime has no trust store (lib/security/cacerts)");
    }

    List<String> required = new ArrayList<>();
    required.add(jar);
    required.add(APP_DIR + "/quarkus/quarkus-application.dat");
    required.add(APP_DIR + "/app/" + appJar);
    libraries.forEach(l -> required.add(APP_DIR + "/lib/main/" + l));
    for (String path : required) {
      Optional<ImageArchive.Entry> entry = image.entry(path);
      if (entry.isEmpty() || !entry.get().isFile()) {
        problems.add("missing " + path);
      } else if ((entry.get().mode() & 0004) == 0) {
        problems.add(
            path + " is not readable by the image's user (mode " + entry.get().mode() + ")");
      }
    }

    Optional<ImageArchive.Entry> tmp = image.entry("/tmp");
    if (tmp.isEmpty() || (tmp.get().mode() & 01777) != 01777) {
      problems.add("/tmp is missing or not mode 1777");
    }

    for (ImageArchive.Entry entry : image.entries()) {
      String name = entry.path().substring(entry.path().lastIndexOf('/') + 1);
      if (!entry.isDirectory() && SHELLS.contains(name)) {
        problems.add("a shell is in the image: " + entry.path());
      }
      for (String dir : PROGRAM_DIRS) {
        if (entry.path().startsWith(dir + "/")) {
          problems.add("a program is in the image: " + entry.path());
        }
      }
    }
    return problems;
  }

  private static Optional<ImageArchive.Entry> javaOnPath(ImageArchive image, JsonNode run) {
    for (JsonNode env : run.path("Env")) {
      String value = env.asText();
      if (value.startsWith("PATH=")) {
        for (String dir : value.substring(5).split(":")) {
          Optional<ImageArchive.Entry> java = image.entry(dir + "/java");
          if (java.isPresent() && java.get().isFile() && (java.get().mode() & 0001) != 0) {
            return java;
          }
        }
      }
    }
    return Optional.empty();
  }
}
