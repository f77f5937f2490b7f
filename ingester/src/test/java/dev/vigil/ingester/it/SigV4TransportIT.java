package dev.vigil.ingester.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.vigil.ingester.config.ConfigCheck;
import dev.vigil.ingester.config.IngesterConfig;
import dev.vigil.ingester.delivery.BulkTransport;
import dev.vigil.ingester.opensearch.OpenSearchConnection;
import dev.vigil.ingester.support.TestConfigs;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * SigV4 for Amazon OpenSearch Service, with no AWS at hand: the ingester's connection in sigv4 mode
 * talks to a loopback HTTPS server (certificate made by keytool, trusted through {@code
 * tls.ca-file}) that records what arrives. The signing itself is the AWS SDK's, through
 * opensearch-java's {@code AwsSdk2Transport}.
 */
class SigV4TransportIT {
  @Test
  void bulkRequestsAreSignedWithSigV4ForTheDomainsRegionAndService(@TempDir Path dir)
      throws Exception {
    Path keystore = dir.resolve("server.p12");
    Path ca = dir.resolve("server.pem");
    keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit");
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "server",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit",
        "-file",
        ca.toString());
    Map<String, List<String>> seen = new ConcurrentHashMap<>();
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext(keystore)));
    server.createContext(
        "/",
        exchange -> {
          exchange.getRequestHeaders().forEach((k, v) -> seen.put(k.toLowerCase(), v));
          seen.put(":path", List.of(exchange.getRequestURI().toString()));
          exchange.getRequestBody().readAllBytes();
          byte[] body = "{\"errors\":false,\"items\":[]}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    try {
      IngesterConfig config =
          TestConfigs.queueMode(
              Map.of(
                  "vigil.ingester.opensearch.endpoint",
                  "https://127.0.0.1:" + server.getAddress().getPort(),
                  "vigil.ingester.opensearch.auth.type",
                  "sigv4",
                  "vigil.ingester.opensearch.auth.region",
                  "eu-west-1",
                  "vigil.ingester.opensearch.tls.ca-file",
                  ca.toString()));
      assertThat(ConfigCheck.problems(config)).isEmpty();
      try (OpenSearchConnection connection =
          OpenSearchConnection.create(
              config.opensearch(),
              config.aws(),
              2,
              StaticCredentialsProvider.create(
                  AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG")))) {
        BulkTransport.Reply reply =
            connection
                .bulkTransport()
                .bulk(
                    "{\"index\":{\"_index\":\"i\",\"_id\":\"1\"}}\n{\"a\":1}\n"
                        .getBytes(StandardCharsets.UTF_8));

        assertThat(reply.status()).isEqualTo(200);
      }
    } finally {
      server.stop(0);
    }

    assertThat(seen.get(":path").get(0)).startsWith("/_bulk?filter_path=");
    assertThat(seen.get("authorization").get(0))
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
        .contains("/eu-west-1/es/aws4_request")
        .contains("SignedHeaders=")
        .contains("Signature=");
    assertThat(seen).containsKey("x-amz-date");
    assertThat(seen.get("x-amz-content-sha256").get(0)).matches("[0-9a-f]{64}");
  }

  private static SSLContext serverContext(Path keystore) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(keystore.toFile())) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, "changeit".toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("keytool failed: " + output);
    }
  }
}
