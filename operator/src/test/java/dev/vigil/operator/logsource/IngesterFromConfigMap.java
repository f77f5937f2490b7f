package dev.vigil.operator.logsource;

import dev.vigil.operator.KubeApiServerResource;
import dev.vigil.parts.FreePorts;
import dev.vigil.parts.ManagedProcess;
import dev.vigil.parts.OpenSearchNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The packaged ingester started the way its Deployment starts it: the ConfigMap's {@code
 * application.properties} in {@code config/} of its working directory (where Quarkus reads it).
 * Only what a pod gets from elsewhere is added: the AWS credentials (IRSA there, moto's here) and a
 * free HTTP port.
 */
final class IngesterFromConfigMap implements AutoCloseable {
  private final ManagedProcess process;

  private IngesterFromConfigMap(ManagedProcess process) {
    this.process = process;
  }

  /**
   * @param files the ConfigMap's other keys (e.g. detection-rules.yaml), written beside it as its
   *     volume mount shows them
   */
  static IngesterFromConfigMap start(
      String name, String applicationProperties, Map<String, String> files) throws IOException {
    Path jar =
        KubeApiServerResource.repositoryRoot()
            .resolve("ingester/target/quarkus-app/quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar
              + " is missing: the full build (make test) packages the ingester before the operator's"
              + " tests; alone, run ./mvnw -pl ingester -am package -DskipTests first");
    }
    Path work = Files.createTempDirectory(name);
    Files.createDirectories(work.resolve("config"));
    // The pod sees the ConfigMap at /deployments/config; here the working directory stands in.
    Files.writeString(
        work.resolve("config/application.properties"),
        applicationProperties.replace("/deployments/config/", work + "/config/"));
    for (Map.Entry<String, String> file : files.entrySet()) {
      Files.writeString(work.resolve("config").resolve(file.getKey()), file.getValue());
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new IngesterFromConfigMap(
        ManagedProcess.start(
            name,
            List.of(java, "-Xmx256m", "-jar", jar.toString()),
            work,
            Map.of(
                "AWS_ACCESS_KEY_ID", "testing",
                "AWS_SECRET_ACCESS_KEY", "testing",
                "QUARKUS_HTTP_PORT", String.valueOf(FreePorts.next()),
                "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false")));
  }

  /** Documents in {@code pattern} after a refresh (0 while the index does not exist). */
  long count(OpenSearchNode node, String pattern) throws Exception {
    if (!process.isAlive()) {
      throw new AssertionError("the ingester exited; see " + process.log());
    }
    node.httpClient()
        .send(
            node.request("/" + pattern + "/_refresh?allow_no_indices=true")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding());
    HttpResponse<String> response =
        node.httpClient()
            .send(
                node.request("/" + pattern + "/_count?allow_no_indices=true").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      return -1;
    }
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(response.body())
        .path("count")
        .asLong();
  }

  /** Hits of a query_string query on {@code index} (0 while the index does not exist). */
  long search(OpenSearchNode node, String index, String query) throws Exception {
    node.httpClient()
        .send(
            node.request("/" + index + "/_refresh?ignore_unavailable=true")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding());
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var body = json.createObjectNode();
    body.putObject("query").putObject("query_string").put("query", query);
    HttpResponse<String> response =
        node.httpClient()
            .send(
                node.request("/" + index + "/_count?ignore_unavailable=true")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return response.statusCode() == 200 ? json.readTree(response.body()).path("count").asLong() : 0;
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(20));
  }
}
