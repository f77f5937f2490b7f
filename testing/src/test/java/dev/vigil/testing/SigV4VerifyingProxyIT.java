package dev.vigil.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.parts.MotoServer;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.parts.Tls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

/**
 * The verifying proxy itself, on the real OpenSearch and the emulator's STS: requests the AWS SDK
 * signs pass; a request changed after signing, signed for another region, with another secret, by
 * an unknown key, too long ago, or with a session key STS never issued or that has expired is
 * refused with 403 and Amazon's message — so the operator's and the ingester's ITs through it can
 * fail.
 */
@ExtendWith(RealPartsExtension.class)
class SigV4VerifyingProxyIT {
  private static final String REGION = "eu-west-1";
  private static final AwsCredentials USER =
      AwsBasicCredentials.create("AKIAVIGILPROXYTEST01", "proxy-test-secret/0123456789abcdef");

  private SigV4VerifyingProxy proxy;
  private StsWitness sts;

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (sts != null) {
      sts.close();
    }
  }

  @Test
  void requestsSignedBySdkPassWithBodiesAndQueryStringsThatNeedEncoding(
      OpenSearchNode node, @TempDir Path dir) throws Exception {
    proxy = SigV4VerifyingProxy.start(node.uri(), REGION, "es", SigV4Keys.of(USER), dir);

    assertThat(send("GET", "/", null, USER, REGION, r -> r).statusCode()).isEqualTo(200);
    HttpResponse<String> search =
        send(
            "POST",
            "/vigil-proxy-*,other-*/_search?ignore_unavailable=true&q=name:a%2Ab&size=1",
            "{\"query\":{\"match_all\":{}}}",
            USER,
            REGION,
            r -> r);
    assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
    assertThat(proxy.verdicts()).allMatch(SigV4VerifyingProxy.Verdict::accepted);
  }

  @Test
  void anythingChangedAfterSigningOrSignedWithOtherCredentialsIsRefused(
      OpenSearchNode node, @TempDir Path dir) throws Exception {
    proxy = SigV4VerifyingProxy.start(node.uri(), REGION, "es", SigV4Keys.of(USER), dir);
    String body = "{\"query\":{\"match_all\":{}}}";
    String path = "/vigil-*/_search?ignore_unavailable=true";

    String other = "{\"query\":{\"match_none\":{}}}";
    assertRefused(
        send("POST", path, body, USER, REGION, r -> r.body(other)),
        "The provided 'x-amz-content-sha256' header does not match what was computed.");
    assertRefused(
        send("POST", path, body, USER, REGION, r -> r.body(other).withRecomputedHash()),
        SigV4VerifyingProxy.MISMATCH);
    assertRefused(
        send("POST", path, body, USER, REGION, r -> r.target(path + "&size=0")),
        SigV4VerifyingProxy.MISMATCH);
    assertRefused(
        send("POST", path, body, USER, "us-east-1", r -> r), SigV4VerifyingProxy.MISMATCH);
    assertRefused(
        send(
            "POST",
            path,
            body,
            AwsBasicCredentials.create(USER.accessKeyId(), "another-secret"),
            REGION,
            r -> r),
        SigV4VerifyingProxy.MISMATCH);
    assertRefused(
        send("GET", "/", null, AwsBasicCredentials.create("AKIAUNKNOWN", "x"), REGION, r -> r),
        SigV4VerifyingProxy.INVALID_TOKEN);
    assertRefused(
        send("GET", "/", null, USER, REGION, r -> r.signedAt(Instant.now().minusSeconds(20 * 60))),
        "Signature expired: ");
    HttpResponse<String> anonymous =
        client()
            .send(
                HttpRequest.newBuilder(proxy.uri()).build(), HttpResponse.BodyHandlers.ofString());
    assertRefused(anonymous, "User: anonymous is not authorized to perform: es:ESHttpGet");
    assertThat(proxy.verdicts()).noneMatch(SigV4VerifyingProxy.Verdict::accepted);
  }

  @Test
  void sessionKeysAreValidAsStsIssuedThemUntilTheirExpiration(
      MotoServer moto, OpenSearchNode node, @TempDir Path dir) throws Exception {
    sts = StsWitness.start(moto.endpoint());
    proxy = SigV4VerifyingProxy.start(node.uri(), REGION, "es", sts, dir);
    HttpResponse<String> issued =
        client()
            .send(
                HttpRequest.newBuilder(sts.uri())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15"
                                + "&RoleArn=arn:aws:iam::123456789012:role/vigil-proxy"
                                + "&RoleSessionName=proxy-it&WebIdentityToken=token"
                                + "&DurationSeconds=3"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
    StsWitness.Issued session = sts.issued().get(0);
    AwsSessionCredentials credentials =
        AwsSessionCredentials.create(
            session.accessKeyId(), session.key().secretAccessKey(), session.key().sessionToken());

    assertThat(send("GET", "/", null, credentials, REGION, r -> r).statusCode()).isEqualTo(200);
    assertRefused(
        send(
            "GET",
            "/",
            null,
            AwsBasicCredentials.create(session.accessKeyId(), session.key().secretAccessKey()),
            REGION,
            r -> r),
        SigV4VerifyingProxy.INVALID_TOKEN);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Instant.now().isAfter(session.key().expiration()));
    assertRefused(
        send("GET", "/", null, credentials, REGION, r -> r), SigV4VerifyingProxy.EXPIRED_TOKEN);
  }

  /** What the test changes between signing and sending. */
  private record Tamper(String target, String body, Instant signedAt, boolean rehashed) {
    Tamper target(String changed) {
      return new Tamper(changed, body, signedAt, rehashed);
    }

    Tamper body(String changed) {
      return new Tamper(target, changed, signedAt, rehashed);
    }

    Tamper signedAt(Instant changed) {
      return new Tamper(target, body, changed, rehashed);
    }

    /** The x-amz-content-sha256 header recomputed for the changed body. */
    Tamper withRecomputedHash() {
      return new Tamper(target, body, signedAt, true);
    }
  }

  private HttpResponse<String> send(
      String method,
      String target,
      String body,
      AwsCredentials credentials,
      String region,
      UnaryOperator<Tamper> tamper)
      throws Exception {
    Tamper sent = tamper.apply(new Tamper(target, body, Instant.now(), false));
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    URI uri = URI.create(proxy.uri() + target);
    SdkHttpRequest.Builder unsigned =
        SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
    if (body != null) {
      unsigned.putHeader("Content-Type", "application/json");
    }
    SdkHttpRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(credentials)
                        .request(unsigned.build())
                        .payload(ContentStreamProvider.fromByteArray(bytes))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "es")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(
                            HttpSigner.SIGNING_CLOCK, Clock.fixed(sent.signedAt(), ZoneOffset.UTC)))
            .request();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(proxy.uri() + sent.target()))
            .method(
                method,
                sent.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(sent.body()));
    for (Map.Entry<String, List<String>> header : signed.headers().entrySet()) {
      if (header.getKey().equalsIgnoreCase("x-amz-content-sha256") && sent.rehashed()) {
        request.header(header.getKey(), sha256(sent.body()));
      } else if (!header.getKey().equalsIgnoreCase("host")) {
        header.getValue().forEach(v -> request.header(header.getKey(), v));
      }
    }
    return client().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String sha256(String body) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(body.getBytes(StandardCharsets.UTF_8)));
  }

  private HttpClient client() {
    return HttpClient.newBuilder().sslContext(Tls.trusting(proxy.caPem())).build();
  }

  private static void assertRefused(HttpResponse<String> response, String message) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
    assertThat(response.body()).startsWith("{\"message\":\"").contains(message);
  }
}
