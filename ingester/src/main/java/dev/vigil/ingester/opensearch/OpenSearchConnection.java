package dev.vigil.ingester.opensearch;

import dev.vigil.core.LogType;
import dev.vigil.core.parse.IndexTemplates;
import dev.vigil.ingester.config.IngesterConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.aws.AwsSdk2Transport;
import org.opensearch.client.transport.aws.AwsSdk2TransportOptions;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;
import org.opensearch.client.transport.httpclient5.ResponseException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * The ingester's link to OpenSearch, through opensearch-java's transports: Apache HttpClient 5 for
 * no auth and basic auth (optionally trusting a custom CA), and the AWS SDK transport for SigV4
 * (Amazon OpenSearch Service; the SDK signs, with the default credential chain — IRSA, instance
 * profile...). Bulk bodies go through the generic client as the bytes the batcher built: the typed
 * {@code BulkRequest} would parse and re-serialize every document.
 */
public final class OpenSearchConnection implements AutoCloseable {
  static final String BULK_FILTER = "errors,items.*.status,items.*.error";

  private final OpenSearchTransport transport;
  private final OpenSearchGenericClient generic;
  private final String endpoint;
  private CompletableFuture<Response> pendingProbe;
  private long probeSent;

  private OpenSearchConnection(OpenSearchTransport transport, String endpoint) {
    this.transport = transport;
    this.generic = new OpenSearchGenericClient(transport);
    this.endpoint = endpoint;
  }

  /**
   * @param connections connection pool size (bulk concurrency plus room for probes)
   */
  public static OpenSearchConnection create(
      IngesterConfig.OpenSearch config, IngesterConfig.Aws aws, int connections) {
    return create(config, aws, connections, null);
  }

  /**
   * @param credentials SigV4 credentials, or null for the AWS SDK's default chain
   */
  public static OpenSearchConnection create(
      IngesterConfig.OpenSearch config,
      IngesterConfig.Aws aws,
      int connections,
      AwsCredentialsProvider credentials) {
    URI uri = URI.create(config.endpoint().trim());
    SSLContext ssl = config.tls().caFile().map(f -> trusting(Path.of(f))).orElse(null);
    OpenSearchTransport transport =
        switch (config.auth().type()) {
          case SIGV4 -> sigV4(config, aws, uri, ssl, connections, credentials);
          case NONE, BASIC -> apache(config, uri, ssl, connections);
        };
    return new OpenSearchConnection(transport, uri.toString());
  }

  private static OpenSearchTransport apache(
      IngesterConfig.OpenSearch config, URI uri, SSLContext ssl, int connections) {
    int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    HttpHost host = new HttpHost(uri.getScheme(), uri.getHost(), port);
    ApacheHttpClient5TransportBuilder builder =
        ApacheHttpClient5TransportBuilder.builder(host)
            .setMapper(new JacksonJsonpMapper())
            .setRequestConfigCallback(
                r -> r.setResponseTimeout(Timeout.of(config.requestTimeout())))
            .setConnectionConfigCallback(c -> c.setConnectTimeout(Timeout.ofSeconds(10)))
            .setHttpClientConfigCallback(
                http -> {
                  // httpclient5 5.6 decompresses responses itself; opensearch-java would gunzip
                  // them a second time.
                  http.disableContentCompression();
                  var pool =
                      PoolingAsyncClientConnectionManagerBuilder.create()
                          .setMaxConnTotal(connections)
                          .setMaxConnPerRoute(connections);
                  if (ssl != null) {
                    pool.setTlsStrategy(
                        ClientTlsStrategyBuilder.create().setSslContext(ssl).buildAsync());
                  }
                  http.setConnectionManager(pool.build());
                  if (config.auth().type() == IngesterConfig.AuthType.BASIC) {
                    BasicCredentialsProvider credentials = new BasicCredentialsProvider();
                    credentials.setCredentials(
                        new AuthScope(host),
                        new UsernamePasswordCredentials(
                            Secrets.value(config.auth().username(), config.auth().usernameFile()),
                            Secrets.value(config.auth().password(), config.auth().passwordFile())
                                .toCharArray()));
                    http.setDefaultCredentialsProvider(credentials);
                  }
                  return http;
                });
    if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
      builder.setPathPrefix(uri.getPath());
    }
    return builder.build();
  }

  private static OpenSearchTransport sigV4(
      IngesterConfig.OpenSearch config,
      IngesterConfig.Aws aws,
      URI uri,
      SSLContext ssl,
      int connections,
      AwsCredentialsProvider credentials) {
    Apache5HttpClient.Builder http =
        Apache5HttpClient.builder()
            .maxConnections(connections)
            .socketTimeout(config.requestTimeout())
            .connectionTimeout(java.time.Duration.ofSeconds(10));
    if (ssl != null) {
      TrustManagerFactory trust = trustManagers(Path.of(config.tls().caFile().get()));
      http.tlsTrustManagersProvider(trust::getTrustManagers);
    }
    String region = config.auth().region().or(aws::region).orElseThrow();
    String host = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    return new AwsSdk2Transport(
        http.build(),
        host,
        config.auth().service(),
        Region.of(region),
        AwsSdk2TransportOptions.builder()
            .setCredentials(
                credentials != null ? credentials : DefaultCredentialsProvider.builder().build())
            .setMapper(new JacksonJsonpMapper())
            .build());
  }

  public String endpoint() {
    return endpoint;
  }

  /** The bulk endpoint, sending pre-built NDJSON as is. */
  public BulkTransport bulkTransport() {
    return ndjson -> {
      try (Response response =
          generic.execute(
              Requests.create(
                  "POST",
                  "/_bulk",
                  List.of(),
                  Map.of("filter_path", BULK_FILTER),
                  Body.from(ndjson, "application/x-ndjson")))) {
        return new BulkTransport.Reply(response.getStatus(), body(response));
      } catch (ResponseException e) {
        // The Apache transport throws for the statuses it treats as a node failure (429, 502,
        // 503, 504); they are answers all the same, and the sender retries them.
        return new BulkTransport.Reply(e.status(), body(e));
      } catch (OpenSearchException e) {
        return new BulkTransport.Reply(e.status(), body(e));
      }
    };
  }

  /**
   * Any JSON request (the streaming detection's alert reads and writes); an error status is
   * returned, not thrown, so the caller can tell 404 and 409 from failures.
   */
  public BulkTransport.Reply request(
      String method, String path, Map<String, String> parameters, byte[] json) throws IOException {
    try (Response response =
        generic.execute(
            Requests.create(
                method,
                path,
                List.of(),
                parameters,
                json == null ? null : Body.from(json, "application/json")))) {
      return new BulkTransport.Reply(response.getStatus(), body(response));
    } catch (ResponseException e) {
      return new BulkTransport.Reply(e.status(), body(e));
    } catch (OpenSearchException e) {
      return new BulkTransport.Reply(e.status(), body(e));
    }
  }

  /**
   * GET / — throws when OpenSearch does not answer 200 within {@code timeout} (readiness). The
   * request timeout is for bulk requests that may take long; a frozen node must not look healthy
   * for that long. A probe still unanswered when the next one is due is not doubled: the next call
   * reports it as unanswered without sending another.
   */
  public synchronized void ping(Duration timeout) throws IOException {
    CompletableFuture<Response> probe = pendingProbe;
    if (probe == null || probe.isDone()) {
      probe = generic.executeAsync(Requests.create("GET", "/", List.of(), Map.of(), null));
      pendingProbe = probe;
      probeSent = System.nanoTime();
    }
    Response answer;
    try {
      answer = probe.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IOException(
          "no answer to GET / for "
              + Duration.ofNanos(System.nanoTime() - probeSent).toMillis()
              + " ms (opensearch.probe-timeout "
              + timeout.toMillis()
              + " ms)");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof IOException io ? io : new IOException(String.valueOf(cause), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    try (Response response = answer) {
      if (response.getStatus() != 200) {
        throw new IOException(
            "OpenSearch answered HTTP " + response.getStatus() + ": " + excerpt(body(response)));
      }
    }
  }

  /**
   * PUTs the component template, one index template per log type and one per latest-state index
   * (idempotent: the same body replaces the same template).
   */
  public void installTemplates(IndexTemplates templates) throws IOException {
    put("/_component_template/" + templates.componentName(), templates.componentTemplate());
    for (LogType type : LogType.values()) {
      put("/_index_template/" + templates.templateName(type), templates.indexTemplate(type));
      if (type.keepsLatestState()) {
        put(
            "/_index_template/" + templates.latestTemplateName(type),
            templates.latestIndexTemplate(type));
      }
    }
  }

  private void put(String path, Object json) throws IOException {
    byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
    try (Response response =
        generic.execute(
            Requests.create(
                "PUT", path, List.of(), Map.of(), Body.from(bytes, "application/json")))) {
      if (response.getStatus() / 100 != 2) {
        throw new IOException(
            "PUT "
                + path
                + " answered HTTP "
                + response.getStatus()
                + ": "
                + excerpt(body(response)));
      }
    }
  }

  /** The exception's message, which quotes the response body (the response class is hidden). */
  private static byte[] body(ResponseException e) {
    return String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The AWS SDK transport throws for a 401/403 it can read — Amazon's own SigV4 refusals among them
   * ({@code {"message": "The security token included in the request is expired"}}); an answer all
   * the same, which the sender retries (credentials being rotated), not an error that ends it.
   */
  private static byte[] body(OpenSearchException e) {
    return String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] body(Response response) throws IOException {
    if (response.getBody().isEmpty()) {
      return new byte[0];
    }
    try (Body body = response.getBody().get();
        InputStream in = body.body()) {
      return in.readAllBytes();
    }
  }

  private static String excerpt(byte[] body) {
    String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
    return body.length > 300 ? text + "…" : text;
  }

  static SSLContext trusting(Path caPem) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustManagers(caPem).getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use CA file " + caPem + ": " + e.getMessage(), e);
    }
  }

  private static TrustManagerFactory trustManagers(Path caPem) {
    try (InputStream in = Files.newInputStream(caPem)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("ca-" + i++, cert);
      }
      if (i == 0) {
        throw new IllegalArgumentException("no certificate in CA file " + caPem);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      return factory;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read CA file " + caPem + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    transport.close();
  }
}
