package dev.vigil.parts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The AWS emulator: moto's server mode (S3 with bucket notifications, SQS, SNS, CloudWatch Logs,
 * Firehose, EventBridge, STS, IAM, Organizations) from a venv in the cache, on a loopback port.
 */
public final class MotoServer implements AutoCloseable {
  public static final Region REGION = Region.US_EAST_1;

  /** The account id moto answers for. */
  public static final String ACCOUNT_ID = "123456789012";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final int port;
  private final ManagedProcess process;

  private MotoServer(int port, ManagedProcess process) {
    this.port = port;
    this.process = process;
  }

  public static MotoServer start() {
    Path venv = BundledScripts.run("ensure-moto.sh");
    int port = FreePorts.next();
    ManagedProcess process =
        ManagedProcess.start(
            "moto",
            List.of(
                venv.resolve("bin/moto_server").toString(),
                "-H",
                "127.0.0.1",
                "-p",
                String.valueOf(port)),
            venv,
            Map.of("MOTO_ALLOW_NONEXISTENT_REGION", "false"));
    MotoServer server = new MotoServer(port, process);
    process.awaitReady("answering on " + server.endpoint(), START_TIMEOUT, server::answers);
    return server;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public Path log() {
    return process.log();
  }

  /** Points any AWS SDK v2 client builder at the emulator with static test credentials. */
  public <B extends AwsClientBuilder<B, C>, C> C client(B builder) {
    return configure(builder).build();
  }

  /** Like {@link #client} but leaves the builder open for service-specific settings. */
  public <B extends AwsClientBuilder<B, C>, C> B configure(B builder) {
    return builder
        .endpointOverride(endpoint())
        .region(REGION)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")));
  }

  /** S3 with path-style addressing, which an emulator on an IP address needs. */
  public S3Client s3() {
    return configure(S3Client.builder()).forcePathStyle(true).build();
  }

  public SqsClient sqs() {
    return client(SqsClient.builder());
  }

  /** Forgets every resource, so one server can serve many tests that each want a clean account. */
  public void reset() {
    send(
        HttpRequest.newBuilder(endpoint().resolve("/moto-api/reset"))
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  private boolean answers() {
    try {
      return send(HttpRequest.newBuilder(endpoint().resolve("/moto-api/data.json")).GET()) == 200;
    } catch (PartStartException e) {
      return false;
    }
  }

  private int send(HttpRequest.Builder request) {
    try {
      return HttpClient.newHttpClient()
          .send(
              request.timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      throw new PartStartException(
          "moto at " + endpoint() + " not reachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PartStartException("interrupted talking to moto", e);
    }
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(10));
  }

  @Override
  public String toString() {
    return "moto (AWS emulator) at " + endpoint();
  }
}
