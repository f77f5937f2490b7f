package dev.vigil.operator.logsource;

import dev.vigil.aws.AwsCallCounter;
import dev.vigil.operator.common.AwsCallLimits;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;
import software.amazon.awssdk.metrics.SdkMetric;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The AWS clients of one (region, role) pair: every call a LogSource makes runs with the
 * credentials of its role (assumed with STS, refreshed before expiry), or with the operator's own
 * (IRSA / default chain) when it names none. Each call is counted as {@code
 * vigil_aws_calls_total{service,operation,outcome}} — what docs/iam.md must allow — its retries as
 * {@code vigil_aws_retries_total{service,operation,reason}}, and bounded in time and attempts by
 * {@link AwsCallLimits}.
 */
public final class AwsClients implements AutoCloseable {
  /**
   * One connection pool for the clients of every role: a LogSource over 1,000 member accounts
   * otherwise holds 8,000 pools (one per SDK client) of idle connections to the same few endpoints
   * (measured with {@code make bench-org}, docs/performance.md). Never closed: it lives as long as
   * the operator; the SDK leaves a client's own pool open when the client closes.
   */
  private static final SdkHttpClient HTTP = Apache5HttpClient.builder().maxConnections(128).build();

  private final Region region;
  private final Optional<URI> endpoint;
  private final ClientOverrideConfiguration override;
  private final StsClient baseSts;
  private final AwsCredentialsProvider credentials;
  private final MeterRegistry metrics;
  private final AwsCallLimits limits;

  public final SqsClient sqs;
  public final S3Client s3;
  public final StsClient sts;
  public final CloudWatchLogsClient logs;
  public final FirehoseClient firehose;
  public final EventBridgeClient events;
  public final CloudWatchClient cloudWatch;

  public AwsClients(
      Region region,
      Optional<URI> endpoint,
      boolean pathStyle,
      String roleArn,
      String externalId,
      AwsCallLimits limits,
      MeterRegistry metrics) {
    this.region = region;
    this.limits = limits;
    this.endpoint = endpoint;
    this.metrics = metrics;
    this.override =
        limits
            .apply(ClientOverrideConfiguration.builder())
            .addExecutionInterceptor(new AwsCallCounter(calls(metrics)))
            .addMetricPublisher(new RetryCounter(metrics))
            .build();
    this.baseSts = build(StsClient.builder(), DefaultCredentialsProvider.builder().build());
    this.credentials =
        roleArn == null
            ? DefaultCredentialsProvider.builder().build()
            : StsAssumeRoleCredentialsProvider.builder()
                .stsClient(baseSts)
                .refreshRequest(
                    r -> {
                      r.roleArn(roleArn).roleSessionName("vigil-operator");
                      if (externalId != null) {
                        r.externalId(externalId);
                      }
                    })
                .build();
    this.sqs = build(SqsClient.builder(), credentials);
    this.s3 = build(S3Client.builder().forcePathStyle(pathStyle), credentials);
    this.sts = build(StsClient.builder(), credentials);
    this.logs = build(CloudWatchLogsClient.builder(), credentials);
    this.firehose = build(FirehoseClient.builder(), credentials);
    this.events = build(EventBridgeClient.builder(), credentials);
    this.cloudWatch = build(CloudWatchClient.builder(), credentials);
  }

  public Region region() {
    return region;
  }

  /** ARN of the identity the calls run as (the assumed role's session, or the operator's). */
  public String identity() {
    return sts.getCallerIdentity().arn();
  }

  /** AWS Organizations with these credentials (the management or a delegated admin account). */
  public OrganizationsApi organizations() {
    return new OrganizationsApi(endpoint.orElse(null), credentials, limits, metrics);
  }

  /** Account id of that identity. */
  public String account() {
    return sts.getCallerIdentity().account();
  }

  private <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C build(
      B builder, AwsCredentialsProvider creds) {
    builder
        .httpClient(HTTP)
        .region(region)
        .credentialsProvider(creds)
        .overrideConfiguration(override);
    endpoint.ifPresent(builder::endpointOverride);
    return builder.build();
  }

  @Override
  public void close() {
    for (AutoCloseable c : new AutoCloseable[] {sqs, s3, sts, logs, firehose, events, cloudWatch}) {
      try {
        c.close();
      } catch (Exception ignored) {
        // closing HTTP pools: nothing useful to do on failure
      }
    }
    baseSts.close();
    if (credentials instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception ignored) {
        // as above
      }
    }
  }

  /** Every AWS call as {@code vigil_aws_calls_total{service,operation,outcome}}. */
  static AwsCallCounter.Calls calls(MeterRegistry metrics) {
    return AwsCallCounter.Calls.into(metrics, "vigil_aws_calls_total");
  }

  /**
   * Counts the retries of every call (attempts after a failed one) by why the attempt failed:
   * {@code throttling} when AWS said to slow down, {@code other} for server errors and I/O.
   */
  static final class RetryCounter implements MetricPublisher {
    static final String NAME = "vigil_aws_retries_total";
    private final MeterRegistry metrics;

    RetryCounter(MeterRegistry metrics) {
      this.metrics = metrics;
    }

    @Override
    public void publish(MetricCollection call) {
      List<MetricCollection> attempts = call.childrenWithName("ApiCallAttempt").toList();
      // Every attempt but the last failed and was retried.
      for (MetricCollection failed : attempts.subList(0, Math.max(0, attempts.size() - 1))) {
        String type = failed.metricValues(CoreMetric.ERROR_TYPE).stream().findFirst().orElse("");
        metrics
            .counter(
                NAME,
                "service",
                first(call, CoreMetric.SERVICE_ID),
                "operation",
                first(call, CoreMetric.OPERATION_NAME),
                "reason",
                type.isEmpty() ? "other" : type.toLowerCase(java.util.Locale.ROOT))
            .increment();
      }
    }

    private static String first(MetricCollection call, SdkMetric<String> metric) {
      return call.metricValues(metric).stream().findFirst().orElse("unknown");
    }

    @Override
    public void close() {}
  }
}
