package dev.vigil.operator.opensearch;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * AWS SigV4 for Amazon OpenSearch Service, signed by the AWS SDK's own signer (never hand-written),
 * with credentials from the provider (IRSA web identity, instance profile, or an assumed role).
 */
public final class SigV4Auth implements RequestAuth {
  // Headers the JDK HttpClient sets itself and refuses to take from callers.
  private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection");

  private final AwsCredentialsProvider credentials;
  private final String region;
  private final String service;

  public SigV4Auth(AwsCredentialsProvider credentials, String region, String service) {
    this.credentials = credentials;
    this.region = region;
    this.service = service;
  }

  private AwsCredentials credentials() {
    try {
      return credentials.resolveCredentials();
    } catch (SdkException e) {
      // Bounded STS calls name themselves (AwsCallLimits): "sts:AssumeRole timed out after …".
      throw new CredentialsUnavailable("no SigV4 credentials: " + e.getMessage(), e);
    }
  }

  @Override
  public void authenticate(HttpRequest.Builder request, String method, URI uri, byte[] body) {
    SdkHttpRequest unsigned =
        SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri).build();
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(credentials())
                        .request(unsigned)
                        .payload(
                            ContentStreamProvider.fromInputStreamSupplier(
                                () -> new ByteArrayInputStream(body)))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region));
    for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
      if (!RESTRICTED.contains(header.getKey().toLowerCase(java.util.Locale.ROOT))) {
        header.getValue().forEach(value -> request.header(header.getKey(), value));
      }
    }
  }
}
