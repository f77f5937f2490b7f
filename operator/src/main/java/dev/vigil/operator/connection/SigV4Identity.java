package dev.vigil.operator.connection;

import dev.vigil.operator.OperatorConfig;
import dev.vigil.operator.common.AwsCallLimits;
import io.smallrye.config.SmallRyeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.ConfigProvider;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleWithWebIdentityCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;

/**
 * The AWS identities the operator signs OpenSearch requests with (SigV4): its own — the IRSA web
 * identity when the pod has one, else the SDK's default chain — and, for a connection naming {@code
 * spec.auth.sigv4.roleArn}, that role assumed with its own. Every STS call is bounded by {@link
 * AwsCallLimits} and named when it fails (e.g. {@code sts:AssumeRoleWithWebIdentity timed out after
 * 30 s}), and goes to {@code vigil.operator.aws.endpoint-override} when set. One provider per role
 * and region, kept across reconciles, so sessions are refreshed before they expire rather than
 * assumed anew.
 */
public final class SigV4Identity {
  private static final String SESSION_NAME = "vigil-operator";
  private static volatile SigV4Identity shared;

  private final AwsCredentialsProvider own;
  private final AwsCallLimits limits;
  private final Optional<URI> endpoint;
  private final Map<List<String>, AwsCredentialsProvider> roles = new ConcurrentHashMap<>();

  /**
   * @param own the operator's own identity
   * @param endpoint STS endpoint override (VPC endpoint proxy, emulator), or empty for AWS's
   */
  public SigV4Identity(AwsCredentialsProvider own, AwsCallLimits limits, Optional<URI> endpoint) {
    this.own = own;
    this.limits = limits;
    this.endpoint = endpoint;
  }

  /**
   * From the operator's configuration: with IRSA ({@code AWS_ROLE_ARN} and {@code
   * AWS_WEB_IDENTITY_TOKEN_FILE}, read by the SDK as its default chain does) the web identity
   * through a bounded STS client; otherwise the SDK's default chain (environment, instance profile,
   * …), whose STS-free sources have their own short time-outs.
   */
  public static SigV4Identity of(OperatorConfig.Aws config) {
    return of(
        config,
        SdkSystemSetting.AWS_ROLE_ARN.getStringValue(),
        SdkSystemSetting.AWS_WEB_IDENTITY_TOKEN_FILE.getStringValue());
  }

  static SigV4Identity of(
      OperatorConfig.Aws config, Optional<String> roleArn, Optional<String> tokenFile) {
    AwsCallLimits limits = AwsCallLimits.of(config);
    Optional<URI> endpoint = config.endpointOverride().map(URI::create);
    AwsCredentialsProvider own =
        roleArn.isPresent() && tokenFile.isPresent()
            ? webIdentity(
                sts(
                    limits,
                    endpoint,
                    config.region().map(Region::of).orElseGet(SigV4Identity::defaultRegion)),
                roleArn.get(),
                Path.of(tokenFile.get()),
                null)
            : DefaultCredentialsProvider.builder().build();
    return new SigV4Identity(own, limits, endpoint);
  }

  /** The process-wide identity, from the Quarkus configuration on first use. */
  static SigV4Identity shared() {
    SigV4Identity identity = shared;
    if (identity == null) {
      synchronized (SigV4Identity.class) {
        if (shared == null) {
          shared =
              of(
                  ConfigProvider.getConfig()
                      .unwrap(SmallRyeConfig.class)
                      .getConfigMapping(OperatorConfig.class)
                      .aws());
        }
        identity = shared;
      }
    }
    return identity;
  }

  /**
   * Web-identity (IRSA) credentials, as the SDK's default chain makes them — the token file read
   * again at every refresh, as the kubelet rotates it — but through the given STS client.
   *
   * @param session the session length to ask for, or null for the role's default (1 h) and the
   *     SDK's refresh times; with a length, the provider refreshes in the background from half of
   *     it before expiry and blocks for fresh credentials from a quarter
   */
  public static AwsCredentialsProvider webIdentity(
      StsClient sts, String roleArn, Path tokenFile, Duration session) {
    var builder =
        StsAssumeRoleWithWebIdentityCredentialsProvider.builder()
            .stsClient(sts)
            .refreshRequest(
                () -> {
                  AssumeRoleWithWebIdentityRequest.Builder request =
                      AssumeRoleWithWebIdentityRequest.builder()
                          .roleArn(roleArn)
                          .roleSessionName(SESSION_NAME)
                          .webIdentityToken(token(tokenFile));
                  if (session != null) {
                    request.durationSeconds((int) session.toSeconds());
                  }
                  return request.build();
                });
    if (session != null) {
      builder.prefetchTime(session.dividedBy(2)).staleTime(session.dividedBy(4));
    }
    return builder.build();
  }

  /** An STS client bounded by {@code limits}, for {@link #webIdentity}. */
  public static StsClient sts(AwsCallLimits limits, Optional<URI> endpoint, Region region) {
    StsClientBuilder builder =
        StsClient.builder()
            .region(region)
            .overrideConfiguration(limits.apply(ClientOverrideConfiguration.builder()).build());
    endpoint.ifPresent(builder::endpointOverride);
    // AssumeRoleWithWebIdentity is not signed: the token is the credential.
    return builder.credentialsProvider(AnonymousCredentialsProvider.create()).build();
  }

  public AwsCredentialsProvider own() {
    return own;
  }

  /** {@code roleArn} assumed with the operator's own identity, in the domain's region. */
  public AwsCredentialsProvider role(String roleArn, String region) {
    return roles.computeIfAbsent(
        List.of(roleArn, region),
        key -> {
          StsClientBuilder sts =
              StsClient.builder()
                  .region(Region.of(region))
                  .credentialsProvider(own)
                  .overrideConfiguration(
                      limits.apply(ClientOverrideConfiguration.builder()).build());
          endpoint.ifPresent(sts::endpointOverride);
          // Cross-account domains: the operator's own identity assumes the named role first.
          return StsAssumeRoleCredentialsProvider.builder()
              .stsClient(sts.build())
              .refreshRequest(r -> r.roleArn(roleArn).roleSessionName(SESSION_NAME))
              .build();
        });
  }

  private static String token(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw SdkClientException.create(
          "cannot read the web identity token file " + file + " (AWS_WEB_IDENTITY_TOKEN_FILE)",
          new UncheckedIOException(e));
    }
  }

  private static Region defaultRegion() {
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkClientException e) {
      return Region.AWS_GLOBAL; // as the SDK's own web-identity provider falls back
    }
  }
}
