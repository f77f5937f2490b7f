package dev.vigil.aws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts every AWS SDK call once — its retries inside — by service, operation and outcome ({@code
 * success} or {@code failure}), for the {@code *_aws_calls_total} counters that docs/iam.md's
 * policies are checked against. Add it to a client's {@code ClientOverrideConfiguration}; each app
 * names its own counter.
 */
public final class AwsCallCounter implements ExecutionInterceptor {
  /** Where a call is counted. */
  @FunctionalInterface
  public interface Calls {
    void count(String service, String operation, String outcome);

    /** Counts into {@code registry} as counter {@code name}, tagged by the three. */
    static Calls into(MeterRegistry registry, String name) {
      return (service, operation, outcome) ->
          Counter.builder(name)
              .description("AWS API calls by service, operation and outcome")
              .tags("service", service, "operation", operation, "outcome", outcome)
              .register(registry)
              .increment();
    }
  }

  private final Calls calls;

  public AwsCallCounter(Calls calls) {
    this.calls = calls;
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    count(attributes, "success");
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    count(attributes, "failure");
  }

  private void count(ExecutionAttributes attributes, String outcome) {
    calls.count(
        String.valueOf(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)),
        String.valueOf(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)),
        outcome);
  }
}
