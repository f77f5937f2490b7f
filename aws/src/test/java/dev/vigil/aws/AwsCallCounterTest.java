package dev.vigil.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * The SDK-level counting is proven on real clients by the apps' ITs (LogSourceIT,
 * DeliveryFaultsIT).
 */
class AwsCallCounterTest {
  @Test
  void countsACallByServiceOperationAndOutcome() {
    List<String> counted = new ArrayList<>();
    AwsCallCounter counter =
        new AwsCallCounter(
            (service, operation, outcome) ->
                counted.add(service + " " + operation + " " + outcome));
    ExecutionAttributes attributes =
        ExecutionAttributes.builder()
            .put(SdkExecutionAttribute.SERVICE_NAME, "Sqs")
            .put(SdkExecutionAttribute.OPERATION_NAME, "ReceiveMessage")
            .build();

    counter.afterExecution(null, attributes);
    counter.onExecutionFailure(null, attributes);

    assertThat(counted).containsExactly("Sqs ReceiveMessage success", "Sqs ReceiveMessage failure");
  }

  @Test
  void countsIntoANamedRegistryCounter() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AwsCallCounter.Calls calls = AwsCallCounter.Calls.into(registry, "test.aws.calls");

    calls.count("S3", "GetObject", "success");
    calls.count("S3", "GetObject", "success");
    calls.count("S3", "GetObject", "failure");

    assertThat(
            registry
                .get("test.aws.calls")
                .tags("service", "S3", "operation", "GetObject", "outcome", "success")
                .counter()
                .count())
        .isEqualTo(2.0);
    assertThat(registry.get("test.aws.calls").tag("outcome", "failure").counter().count())
        .isEqualTo(1.0);
  }
}
