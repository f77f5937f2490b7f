package dev.vigil.operator.connection;

import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.api.v1alpha1.OpenSearchConnectionSpec;
import dev.vigil.api.v1alpha1.OpenSearchConnectionSpec.AuthType;
import dev.vigil.core.rules.Durations;
import dev.vigil.operator.common.InvalidSpecException;
import dev.vigil.operator.common.SecretValues;
import dev.vigil.operator.opensearch.OpenSearchEndpoint;
import dev.vigil.operator.opensearch.RequestAuth;
import dev.vigil.operator.opensearch.SigV4Auth;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Turns an OpenSearchConnection (and the Secrets it references) into an {@link OpenSearchEndpoint}.
 * Problems with the spec or its Secrets are {@link InvalidSpecException}s whose message names the
 * field or Secret key.
 */
public final class EndpointResolver {
  private final SecretValues secrets;
  private final Supplier<SigV4Identity> identity;

  /** With the operator's process-wide AWS identity, configured on first SigV4 use. */
  public EndpointResolver(KubernetesClient client) {
    this(client, SigV4Identity::shared);
  }

  public EndpointResolver(KubernetesClient client, Supplier<SigV4Identity> identity) {
    this.secrets = new SecretValues(client);
    this.identity = identity;
  }

  public OpenSearchEndpoint resolve(OpenSearchConnection connection) throws InvalidSpecException {
    OpenSearchConnectionSpec spec = connection.getSpec();
    String namespace = connection.getMetadata().getNamespace();
    if (spec == null || spec.endpoint == null) {
      throw new InvalidSpecException("spec.endpoint is required");
    }
    URI uri = URI.create(spec.endpoint.endsWith("/") ? spec.endpoint : spec.endpoint + "/");
    Duration timeout =
        InvalidSpecException.reading(
            () ->
                Durations.parse(
                    spec.requestTimeout, "spec.requestTimeout", Duration.ofSeconds(10)));
    AuthType type = spec.auth == null ? AuthType.None : spec.auth.type;
    RequestAuth auth =
        switch (type) {
          case None -> RequestAuth.NONE;
          case Basic -> basic(spec, namespace);
          case SigV4 -> sigV4(spec);
        };
    boolean insecure = spec.tls != null && Boolean.TRUE.equals(spec.tls.insecureSkipVerify);
    SSLContext ssl = null;
    if (insecure) {
      ssl = trustingEverything();
    } else if (spec.tls != null && spec.tls.caSecretRef != null) {
      String pem =
          secretValue(
              namespace,
              spec.tls.caSecretRef.name,
              spec.tls.caSecretRef.key,
              "spec.tls.caSecretRef");
      ssl = trusting(pem, "spec.tls.caSecretRef");
    }
    return new OpenSearchEndpoint(uri, auth, ssl, insecure, timeout);
  }

  private RequestAuth sigV4(OpenSearchConnectionSpec spec) throws InvalidSpecException {
    var sigv4 = spec.auth.sigv4;
    if (sigv4 == null || sigv4.region == null) {
      throw new InvalidSpecException("spec.auth.sigv4.region is required for SigV4 auth");
    }
    SigV4Identity identities = identity.get();
    AwsCredentialsProvider credentials =
        sigv4.roleArn == null ? identities.own() : identities.role(sigv4.roleArn, sigv4.region);
    return new SigV4Auth(credentials, sigv4.region, sigv4.service == null ? "es" : sigv4.service);
  }

  private RequestAuth basic(OpenSearchConnectionSpec spec, String namespace)
      throws InvalidSpecException {
    var basic = spec.auth.basic;
    if (basic == null || basic.secretName == null) {
      throw new InvalidSpecException("spec.auth.basic.secretName is required for Basic auth");
    }
    String user = secretValue(namespace, basic.secretName, basic.usernameKey, "spec.auth.basic");
    String password =
        secretValue(namespace, basic.secretName, basic.passwordKey, "spec.auth.basic");
    return RequestAuth.basic(user, password);
  }

  private String secretValue(String namespace, String name, String key, String field)
      throws InvalidSpecException {
    return secrets.value(namespace, name, key, field);
  }

  private static SSLContext trusting(String pem, String field) throws InvalidSpecException {
    try {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      if (certificates.isEmpty()) {
        throw new InvalidSpecException(field + ": the Secret key holds no PEM certificate");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new InvalidSpecException(
          field + ": not a usable PEM CA certificate: " + e.getMessage());
    }
  }

  private static SSLContext trustingEverything() {
    TrustManager trustAll =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustAll}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
