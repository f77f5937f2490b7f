package dev.vigil.ingester.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingester.metrics.IngesterMetrics;
import dev.vigil.testing.IamPolicies;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ingester policy of docs/iam.md (the JSON block under "Ingester policy") held against the AWS
 * calls a running ingester counted in {@code vigil_ingester_aws_calls_total}: a call the policy
 * does not allow would fail with AccessDenied in a real account.
 */
final class IngesterPolicy {
  private static final Pattern CALL =
      Pattern.compile(
          "^vigil_ingester_aws_calls_total\\{.*?operation=\"(\\w+)\".*?service=\"(\\w+)\"");

  private IngesterPolicy() {}

  /**
   * Asserts every AWS call {@code ingester} made is allowed by the documented policy plus {@code
   * documentedExtras} (the additions docs/iam.md names for optional settings), and that it made
   * some.
   */
  static void assertCallsAllowed(IngesterProcess ingester, String... documentedExtras) {
    Set<String> called = new TreeSet<>();
    for (String line : ingester.metricsText().split("\n")) {
      Matcher call = CALL.matcher(line);
      if (call.find()) {
        called.add(IamPolicies.action(call.group(2), call.group(1)));
      }
    }
    assertAllowed(called, documentedExtras);
  }

  /** The same for an ingester running in this JVM, counting into {@code registry}. */
  static void assertCallsAllowed(MeterRegistry registry, String... documentedExtras) {
    assertAllowed(
        IamPolicies.actions(registry.find(IngesterMetrics.AWS_CALLS).counters()), documentedExtras);
  }

  private static void assertAllowed(Set<String> called, String... documentedExtras) {
    Set<String> allowed = new TreeSet<>(IamPolicies.documented("Ingester policy"));
    allowed.addAll(List.of(documentedExtras));
    assertThat(called).as("AWS calls counted by the ingester").isNotEmpty();
    assertThat(allowed).as("docs/iam.md ingester policy").containsAll(called);
  }
}
