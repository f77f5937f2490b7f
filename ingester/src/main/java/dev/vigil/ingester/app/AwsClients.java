package dev.vigil.ingester.app;

import dev.vigil.aws.AwsCallCounter;
import dev.vigil.aws.AwsCallCounter.Calls;
import dev.vigil.ingester.config.IngesterConfig;
import dev.vigil.ingester.metrics.IngesterMetrics;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * S3 and SQS clients from {@code vigil.ingester.aws.*}, credentials from the default chain; every
 * call is counted as {@code vigil_ingester_aws_calls_total{service,operation,outcome}}.
 */
public final class AwsClients implements AutoCloseable {
  private final S3Client s3;
  private final SqsClient sqs;
  private final SqsClient receiver;
  private StsClient sts;

  private final ClientOverrideConfiguration counted;

  public AwsClients(
      IngesterConfig config, AwsCredentialsProvider credentials, IngesterMetrics metrics) {
    this.counted =
        ClientOverrideConfiguration.builder()
            .addExecutionInterceptor(
                new AwsCallCounter(Calls.into(metrics.registry(), IngesterMetrics.AWS_CALLS)))
            .build();
    AwsCredentialsProvider base =
        credentials != null ? credentials : DefaultCredentialsProvider.builder().build();
    AwsCredentialsProvider creds = config.aws().roleArn().isEmpty() ? base : assumed(config, base);
    int connections = config.concurrency() + config.queues().size() + 8;
    this.s3 =
        configure(S3Client.builder(), config.aws(), creds)
            .forcePathStyle(config.aws().s3PathStyle())
            .httpClientBuilder(http(connections))
            .build();
    this.sqs =
        configure(SqsClient.builder(), config.aws(), creds)
            .httpClientBuilder(http(connections))
            .build();
    this.receiver =
        configure(SqsClient.builder(), config.aws(), creds)
            .httpClientBuilder(http(config.queues().size() + 1))
            .build();
  }

  /** Credentials of the configured role, assumed with the base credentials and kept fresh. */
  private AwsCredentialsProvider assumed(IngesterConfig config, AwsCredentialsProvider base) {
    this.sts = configure(StsClient.builder(), config.aws(), base).build();
    return StsAssumeRoleCredentialsProvider.builder()
        .stsClient(sts)
        .refreshRequest(
            r -> {
              r.roleArn(config.aws().roleArn().get()).roleSessionName("vigil-ingester");
              config.aws().externalId().ifPresent(r::externalId);
            })
        .build();
  }

  private static Apache5HttpClient.Builder http(int connections) {
    return Apache5HttpClient.builder()
        .maxConnections(connections)
        // Long polls take up to 20 s; leave room.
        .socketTimeout(Duration.ofSeconds(60))
        .connectionTimeout(Duration.ofSeconds(10));
  }

  private <B extends AwsClientBuilder<B, C>, C> B configure(
      B builder, IngesterConfig.Aws aws, AwsCredentialsProvider credentials) {
    builder.credentialsProvider(credentials).overrideConfiguration(counted);
    aws.region().ifPresent(r -> builder.region(Region.of(r)));
    aws.endpointOverride().ifPresent(e -> builder.endpointOverride(URI.create(e)));
    return builder;
  }

  public S3Client s3() {
    return s3;
  }

  public SqsClient sqs() {
    return sqs;
  }

  /**
   * The client for long polls only, so that {@link #stopReceiving()} can end a poll in progress: a
   * blocked socket read does not heed a thread interrupt, but closing the client's connection pool
   * ends it. Deletes and visibility changes go through {@link #sqs()} and still work afterwards.
   */
  public SqsClient sqsReceiver() {
    return receiver;
  }

  /** Ends every long poll in progress (they fail) and every later one: shutdown. */
  public void stopReceiving() {
    receiver.close();
  }

  @Override
  public void close() {
    s3.close();
    sqs.close();
    receiver.close();
    if (sts != null) {
      sts.close();
    }
  }
}
