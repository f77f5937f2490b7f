package dev.vigil.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.parts.PartStartException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

/**
 * An HTTPS proxy in front of a real OpenSearch that does what Amazon OpenSearch Service does with
 * an IAM-authenticated request before OpenSearch sees it: it recomputes the request's SigV4
 * signature — with the AWS SDK v2's own signer, from the bytes that arrived (method, raw path and
 * query, the signed headers, the body) and the secret {@link SigV4Keys} holds for the access key —
 * and refuses with 403 and an AWS-style {@code {"message": …}} body what does not match, what is
 * signed by an unknown, expired or token-less session key, and what is signed more than 15 minutes
 * away from now. Accepted requests go to OpenSearch unchanged.
 *
 * <p>What it proves: the client signs what it sends (bodies, encoded paths and query strings,
 * session tokens), for the domain's region and service, with credentials that are valid now. What
 * it does not: Amazon's service itself — its access policies, fine-grained access control, its
 * exact error headers, and path normalisation beyond the SDK's canonical form are not modelled.
 */
public final class SigV4VerifyingProxy implements AutoCloseable {
  /** The time window AWS allows between a request's X-Amz-Date and the service's clock. */
  public static final Duration MAX_SKEW = Duration.ofMinutes(15);

  static final String MISMATCH =
      "The request signature we calculated does not match the signature you provided. Check your"
          + " AWS Secret Access Key and signing method. Consult the service documentation for"
          + " details.";
  static final String INVALID_TOKEN = "The security token included in the request is invalid.";
  static final String EXPIRED_TOKEN = "The security token included in the request is expired";

  private static final Pattern AUTHORIZATION =
      Pattern.compile(
          "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,"
              + " ?SignedHeaders=([a-z0-9;_.-]+), ?Signature=([0-9a-f]{64})");
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** What the proxy decided about one request; {@code refusal} is null when it was forwarded. */
  public record Verdict(String method, String target, String accessKeyId, String refusal) {
    public boolean accepted() {
      return refusal == null;
    }
  }

  private final HttpsServer server;
  private final LoopbackCertificate certificate;
  private final Forwarder forwarder;
  private final String region;
  private final String service;
  private final SigV4Keys keys;
  private final Clock clock;
  private final List<Verdict> verdicts = new CopyOnWriteArrayList<>();

  private SigV4VerifyingProxy(
      URI upstream, String region, String service, SigV4Keys keys, Path dir, Clock clock)
      throws IOException {
    this.forwarder = new Forwarder(upstream, null);
    this.region = region;
    this.service = service;
    this.keys = keys;
    this.clock = clock;
    this.certificate = LoopbackCertificate.create(dir);
    this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
    server.setExecutor(Executors.newCachedThreadPool(Forwarder.daemon("sigv4-proxy")));
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * @param upstream a plain-HTTP OpenSearch, e.g. {@link OpenSearchNode#uri()}
   * @param region the domain's region, e.g. {@code eu-west-1}
   * @param service {@code es} (managed domains) or {@code aoss} (Serverless)
   * @param dir where the proxy's self-signed certificate goes
   */
  public static SigV4VerifyingProxy start(
      URI upstream, String region, String service, SigV4Keys keys, Path dir) {
    try {
      return new SigV4VerifyingProxy(upstream, region, service, keys, dir, Clock.systemUTC());
    } catch (IOException e) {
      throw new PartStartException("cannot listen on loopback: " + e.getMessage(), e);
    }
  }

  /** {@code https://127.0.0.1:<port>}; clients trust {@link #caPem()}. */
  public URI uri() {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
  }

  public Path caPem() {
    return certificate.caPem();
  }

  /** Every request so far, in arrival order. */
  public List<Verdict> verdicts() {
    return List.copyOf(verdicts);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      URI received = exchange.getRequestURI();
      String target =
          received.getRawPath()
              + (received.getRawQuery() == null ? "" : "?" + received.getRawQuery());
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      Matcher auth = authorization == null ? null : AUTHORIZATION.matcher(authorization);
      String accessKeyId = auth != null && auth.matches() ? auth.group(1) : null;
      String refusal = refusal(exchange, auth, body);
      verdicts.add(new Verdict(exchange.getRequestMethod(), target, accessKeyId, refusal));
      if (refusal != null) {
        byte[] answer =
            ("{\"message\":\"" + refusal.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(403, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
        return;
      }
      forwarder.forward(exchange, body).sendTo(exchange);
    }
  }

  /** Why Amazon's service would refuse this request, or null when it would not. */
  private String refusal(HttpExchange exchange, Matcher auth, byte[] body) {
    Map<String, List<String>> headers = exchange.getRequestHeaders();
    if (auth == null) {
      return "User: anonymous is not authorized to perform: es:ESHttp"
          + capitalized(exchange.getRequestMethod());
    }
    if (!auth.matches()) {
      return "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'"
          + " parameters (AWS4-HMAC-SHA256)";
    }
    String amzDate = first(headers, "X-Amz-Date");
    Instant signedAt;
    try {
      signedAt = Instant.from(AMZ_DATE.parse(amzDate == null ? "" : amzDate));
    } catch (DateTimeParseException e) {
      return "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header";
    }
    Instant now = clock.instant();
    if (signedAt.isBefore(now.minus(MAX_SKEW))) {
      return "Signature expired: "
          + amzDate
          + " is now earlier than "
          + AMZ_DATE.format(now.minus(MAX_SKEW))
          + " ("
          + AMZ_DATE.format(now)
          + " - 15 min.)";
    }
    if (signedAt.isAfter(now.plus(MAX_SKEW))) {
      return "Signature not yet current: "
          + amzDate
          + " is still later than "
          + AMZ_DATE.format(now.plus(MAX_SKEW))
          + " ("
          + AMZ_DATE.format(now)
          + " + 15 min.)";
    }
    SigV4Keys.Key key = keys.find(auth.group(1)).orElse(null);
    String token = first(headers, "X-Amz-Security-Token");
    if (key == null || !java.util.Objects.equals(key.sessionToken(), token)) {
      return INVALID_TOKEN;
    }
    if (key.expiration() != null && !now.isBefore(key.expiration())) {
      return EXPIRED_TOKEN;
    }
    String payloadHash = sha256(body);
    String claimed = first(headers, "X-Amz-Content-Sha256");
    if (claimed != null && !claimed.equals(payloadHash)) {
      return "The provided 'x-amz-content-sha256' header does not match what was computed.";
    }
    String[] signedHeaders = auth.group(5).split(";");
    String expected;
    try {
      expected = signature(exchange, signedHeaders, body, payloadHash, signedAt, key, auth);
    } catch (IllegalArgumentException e) {
      return MISMATCH; // a signed header missing, or a query string that does not decode
    }
    return expected.equals(auth.group(5) + "/" + auth.group(6)) ? null : MISMATCH;
  }

  /** "SignedHeaders/Signature" as the AWS SDK's signer computes them for the received request. */
  private String signature(
      HttpExchange exchange,
      String[] signedHeaders,
      byte[] body,
      String payloadHash,
      Instant signedAt,
      SigV4Keys.Key key,
      Matcher auth) {
    URI received = exchange.getRequestURI();
    String host = first(exchange.getRequestHeaders(), "Host");
    if (host == null) {
      throw new IllegalArgumentException("no Host header");
    }
    int colon = host.lastIndexOf(':');
    SdkHttpRequest.Builder request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.fromValue(exchange.getRequestMethod()))
            .protocol("https")
            .host(colon < 0 ? host : host.substring(0, colon))
            .port(colon < 0 ? 443 : Integer.parseInt(host.substring(colon + 1)))
            .encodedPath(received.getRawPath());
    if (received.getRawQuery() != null) {
      for (String pair : received.getRawQuery().split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int equals = pair.indexOf('=');
        request.appendRawQueryParameter(
            decode(equals < 0 ? pair : pair.substring(0, equals)),
            equals < 0 ? "" : decode(pair.substring(equals + 1)));
      }
    }
    for (String name : signedHeaders) {
      List<String> values = exchange.getRequestHeaders().get(name);
      if (values == null) {
        throw new IllegalArgumentException("signed header " + name + " not sent");
      }
      request.putHeader(name, name.equals("x-amz-content-sha256") ? List.of(payloadHash) : values);
    }
    AwsCredentials identity =
        key.sessionToken() == null
            ? AwsBasicCredentials.create(auth.group(1), key.secretAccessKey())
            : AwsSessionCredentials.create(
                auth.group(1), key.secretAccessKey(), key.sessionToken());
    SdkHttpRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(identity)
                        .request(request.build())
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(
                            HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)))
            .request();
    Matcher ours = AUTHORIZATION.matcher(signed.firstMatchingHeader("Authorization").orElse(""));
    if (!ours.matches()) {
      throw new IllegalStateException("the SDK signed in an unexpected form: " + signed.headers());
    }
    return ours.group(5) + "/" + ours.group(6);
  }

  /** RFC 3986 percent-decoding, as SigV4 canonicalises: a {@code +} stays a plus sign. */
  private static String decode(String encoded) {
    return URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static String capitalized(String method) {
    return method.charAt(0) + method.substring(1).toLowerCase(Locale.ROOT);
  }

  private static String sha256(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
