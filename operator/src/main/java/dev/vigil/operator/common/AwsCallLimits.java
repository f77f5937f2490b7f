package dev.vigil.operator.common;

import dev.vigil.operator.OperatorConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Bounds on every AWS call the operator makes ({@code vigil.operator.aws.api-call-timeout}, retries
 * included, and {@code api-call-attempt-timeout} per attempt), so a hung endpoint costs a reconcile
 * seconds, not the SDK's unbounded wait; and failures that are not AWS answers (time-outs, refused
 * connections) named after the call as IAM spells it, e.g. {@code sts:AssumeRole timed out after 10
 * s} — an AWS error answer already names its service, code and message.
 */
public record AwsCallLimits(Duration apiCall, Duration attempt) {
  /**
   * Attempts per call, the first included. AWS answers a busy control plane with throttling errors
   * ({@code ThrottlingException}, {@code TooManyRequestsException}, {@code Throttling}); the SDK's
   * standard strategy retries those with exponential backoff and jitter, and at organization scale
   * (hundreds of accounts provisioned in parallel) its default of 3 lets a short burst fail a call.
   * Still bounded by {@code apiCall}.
   */
  public static final int MAX_ATTEMPTS = 8;

  // IAM's action prefix where it is not the SDK's service name in lower case.
  private static final Map<String, String> IAM_PREFIX =
      Map.of("CloudWatchLogs", "logs", "EventBridge", "events");

  /**
   * The timers that enforce both time-outs, one pool for every client: each SDK client otherwise
   * starts its own (measured: about 12 threads per role's client set, 12,000 threads for a
   * LogSource over 1,000 member accounts). Its tasks only interrupt an overdue call, so two threads
   * suffice.
   */
  private static final ScheduledExecutorService TIMERS =
      Executors.newScheduledThreadPool(
          2,
          runnable -> {
            Thread thread = new Thread(runnable, "vigil-aws-timeouts");
            thread.setDaemon(true);
            return thread;
          });

  public static AwsCallLimits of(OperatorConfig.Aws config) {
    return new AwsCallLimits(config.apiCallTimeout(), config.apiCallAttemptTimeout());
  }

  /** The SDK client settings: both time-outs, the retries and the naming of failed calls. */
  public ClientOverrideConfiguration.Builder apply(ClientOverrideConfiguration.Builder builder) {
    return builder
        .apiCallTimeout(apiCall)
        .apiCallAttemptTimeout(attempt)
        .scheduledExecutorService(TIMERS)
        .retryStrategy(
            AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(MAX_ATTEMPTS).build())
        .addExecutionInterceptor(new CallNames());
  }

  /** {@code service:Operation} as in an IAM policy, from the SDK's service name. */
  public static String call(String service, String operation) {
    String prefix = IAM_PREFIX.getOrDefault(service, service.toLowerCase(Locale.ROOT));
    return prefix + ":" + operation;
  }

  private final class CallNames implements ExecutionInterceptor {
    @Override
    public Throwable modifyException(
        Context.FailedExecution context, ExecutionAttributes attributes) {
      Throwable failure = context.exception();
      if (!(failure instanceof SdkException sdk) || failure instanceof AwsServiceException) {
        return failure;
      }
      String call =
          call(
              attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
              attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
      String what;
      if (failure instanceof ApiCallTimeoutException) {
        what =
            "timed out after "
                + apiCall.toSeconds()
                + " s (vigil.operator.aws.api-call-timeout; attempts of "
                + attempt.toSeconds()
                + " s each)";
      } else if (failure instanceof ApiCallAttemptTimeoutException) {
        what =
            "timed out after "
                + attempt.toSeconds()
                + " s (vigil.operator.aws.api-call-attempt-timeout)";
      } else {
        what = "failed: " + failure.getMessage();
      }
      // The SDK insists on the exception's own class: callers may catch it.
      SdkException named = sdk.toBuilder().message(call + " " + what).build();
      return named.getClass() == failure.getClass() ? named : failure;
    }
  }
}
