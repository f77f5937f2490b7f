package dev.vigil.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine.Option;

/**
 * How {@code vigil alerts} reaches OpenSearch: a URL the user can reach (a port-forward to the
 * cluster's service, or the domain's endpoint) and the user's own credentials, so what an analyst
 * reads and changes is what their OpenSearch role allows — not the operator's service account. The
 * password comes from the environment or a file, never from the command line (shell history, ps).
 */
final class OpenSearchOptions {
  static final String URL_ENV = "VIGIL_OPENSEARCH_URL";
  static final String USER_ENV = "VIGIL_OPENSEARCH_USER";
  static final String PASSWORD_ENV = "VIGIL_OPENSEARCH_PASSWORD";

  @Option(
      names = "--opensearch",
      paramLabel = "URL",
      defaultValue = "${env:" + URL_ENV + ":-http://localhost:9200}",
      description = "OpenSearch REST URL (default: $" + URL_ENV + ", else ${DEFAULT-VALUE}).")
  URI url;

  @Option(
      names = "--opensearch-user",
      paramLabel = "USER",
      defaultValue = "${env:" + USER_ENV + "}",
      description = {
        "Basic-auth user (default: $"
            + USER_ENV
            + "); the password is read from $"
            + PASSWORD_ENV
            + " or --opensearch-password-file. Without a user, no authentication."
      })
  String user;

  @Option(
      names = "--opensearch-password-file",
      paramLabel = "FILE",
      description = "Read the password from this file instead of $" + PASSWORD_ENV + ".")
  Path passwordFile;

  @Option(
      names = "--opensearch-ca",
      paramLabel = "FILE",
      description = "PEM CA certificate to trust for https (default: the JDK's trust store).")
  Path ca;

  HttpClient httpClient() throws IOException {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    if (ca != null) {
      builder.sslContext(trusting(ca));
    }
    return builder.build();
  }

  /** The password (file, else environment), or null without a user. */
  String password() throws IOException {
    if (user == null) {
      return null;
    }
    if (passwordFile != null) {
      return Files.readString(passwordFile).strip();
    }
    String password = System.getenv(PASSWORD_ENV);
    if (password == null) {
      throw new IOException(
          "--opensearch-user is set but neither $"
              + PASSWORD_ENV
              + " nor --opensearch-password-file");
    }
    return password;
  }

  private static SSLContext trusting(Path pem) throws IOException {
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      if (i == 0) {
        throw new IOException(pem + ": no PEM certificate in it");
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException(pem + ": not a usable CA certificate: " + e.getMessage(), e);
    }
  }
}
