package dev.vigil.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.Condition;
import dev.vigil.api.v1alpha1.DeletionPolicy;
import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.api.v1alpha1.LogSourceSpec;
import dev.vigil.api.v1alpha1.LogTypeName;
import dev.vigil.operator.KubeApiServerResource;
import dev.vigil.operator.TestNamespace;
import dev.vigil.operator.common.Conditions;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.RealParts;
import dev.vigil.testing.GateProxy;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A LogSource whose AWS endpoint hangs (moto behind a {@link GateProxy} that accepts connections
 * and holds every byte): the reconcile gives up after the configured call time-out instead of
 * blocking for minutes, and its Ready condition and Event name the call that hung as IAM spells it;
 * once the endpoint answers again the LogSource provisions its queue.
 */
@QuarkusTest
@TestProfile(HungAwsEndpointIT.Hung.class)
class HungAwsEndpointIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  // Set by GatedAws (a test resource may live in another class loader: no static handover).
  GateProxy gate;

  @Inject KubernetesClient client;

  @Test
  void aHungEndpointFailsTheReconcileNamingTheCallAndTheTimeOut() throws IOException {
    String namespace = "aws-hung";
    String bucket = "aws-hung-logs";
    MotoServer moto = RealParts.moto();
    moto.s3().createBucket(b -> b.bucket(bucket));
    TestNamespace.withConnection(client, namespace, RealParts.openSearch().uri().toString());
    gate.set(GateProxy.State.FROZEN);

    client.resource(logSource(namespace, bucket)).create();
    Condition failed = awaitReady(namespace, c -> "AwsError".equals(c.getReason()));
    System.out.println("HungAwsEndpointIT: " + failed.getMessage());
    assertThat(failed.getMessage())
        .matches("AWS: [a-z]+:[A-Z][A-Za-z]+ (.* )?timed out after [13] s .*")
        .contains("sts:");
    List<Event> events =
        await()
            .atMost(TIMEOUT)
            .until(
                () ->
                    client.v1().events().inNamespace(namespace).list().getItems().stream()
                        .filter(e -> e.getMessage() != null && e.getMessage().contains("timed out"))
                        .toList(),
                found -> !found.isEmpty());
    assertThat(events.get(0).getMessage()).contains("sts:");

    gate.set(GateProxy.State.OPEN);
    await()
        .atMost(TIMEOUT)
        .until(
            () -> condition(namespace, "QueueReady").filter(c -> "True".equals(c.getStatus())),
            Optional::isPresent);
  }

  private Condition awaitReady(String namespace, java.util.function.Predicate<Condition> test) {
    return await()
        .atMost(TIMEOUT)
        .until(() -> condition(namespace, Conditions.READY).filter(test), Optional::isPresent)
        .orElseThrow();
  }

  private Optional<Condition> condition(String namespace, String type) {
    LogSource source =
        client.resources(LogSource.class).inNamespace(namespace).withName("hung").get();
    return Optional.ofNullable(source)
        .map(LogSource::getStatus)
        .flatMap(s -> Conditions.find(s.conditions, type));
  }

  private static LogSource logSource(String namespace, String bucket) {
    LogSource source = new LogSource();
    source.getMetadata().setName("hung");
    source.getMetadata().setNamespace(namespace);
    LogSourceSpec spec = new LogSourceSpec();
    spec.logType = LogTypeName.cloudtrail;
    spec.s3 = new LogSourceSpec.S3Location();
    spec.s3.bucket = bucket;
    spec.s3.prefix = "AWSLogs/";
    spec.aws = new LogSourceSpec.AwsAccess();
    spec.aws.roleArn = "arn:aws:iam::123456789012:role/vigil-log-archive-access";
    spec.deletionPolicy = DeletionPolicy.Delete;
    source.setSpec(spec);
    return source;
  }

  /** The real API server; AWS (moto) only through the gate; short call limits. */
  public static class Hung implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "vigil.operator.aws.api-call-timeout", "3s",
          "vigil.operator.aws.api-call-attempt-timeout", "1s");
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(
          new TestResourceEntry(KubeApiServerResource.class),
          new TestResourceEntry(GatedAws.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
      return true;
    }
  }

  /** moto behind the test's gate. */
  public static class GatedAws implements QuarkusTestResourceLifecycleManager {
    private GateProxy gate;

    @Override
    public void inject(TestInjector injector) {
      injector.injectIntoFields(gate, new TestInjector.MatchesType(GateProxy.class));
    }

    @Override
    public Map<String, String> start() {
      MotoServer moto = RealParts.moto();
      System.setProperty("aws.accessKeyId", "testing");
      System.setProperty("aws.secretAccessKey", "testing");
      try {
        gate = new GateProxy(moto.endpoint());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return Map.of(
          "vigil.operator.aws.endpoint-override", gate.uri().toString(),
          "vigil.operator.aws.region", MotoServer.REGION.id(),
          "vigil.operator.aws.s3-path-style", "true");
    }

    @Override
    public void stop() {
      try {
        gate.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
