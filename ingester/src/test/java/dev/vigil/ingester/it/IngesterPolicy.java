package dev.vigil.ingester.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.ingester.support.SharedTestData;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
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
  private static final Map<String, String> PREFIXES =
      Map.of("S3", "s3", "Sqs", "sqs", "Sts", "sts");

  /** S3 API operations whose IAM action has another name. */
  private static final Map<String, String> S3_ACTIONS =
      Map.of("ListObjectsV2", "ListBucket", "ListObjects", "ListBucket", "HeadObject", "GetObject");

  /** SQS batch operations are authorized by their single-message actions (SQS developer guide). */
  private static final Map<String, String> SQS_ACTIONS =
      Map.of(
          "SendMessageBatch", "SendMessage",
          "DeleteMessageBatch", "DeleteMessage",
          "ChangeMessageVisibilityBatch", "ChangeMessageVisibility");

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
        called.add(action(call.group(2), call.group(1)));
      }
    }
    assertAllowed(called, documentedExtras);
  }

  /** The same for an ingester running in this JVM, counting into {@code registry}. */
  static void assertCallsAllowed(MeterRegistry registry, String... documentedExtras) {
    Set<String> called = new TreeSet<>();
    for (Counter counter : registry.find("vigil.ingester.aws.calls").counters()) {
      called.add(action(counter.getId().getTag("service"), counter.getId().getTag("operation")));
    }
    assertAllowed(called, documentedExtras);
  }

  private static void assertAllowed(Set<String> called, String... documentedExtras) {
    Set<String> allowed = new TreeSet<>(documentedActions());
    allowed.addAll(List.of(documentedExtras));
    assertThat(called).as("AWS calls counted by the ingester").isNotEmpty();
    assertThat(allowed).as("docs/iam.md ingester policy").containsAll(called);
  }

  static String action(String service, String operation) {
    String prefix = PREFIXES.get(service);
    if (prefix == null) {
      throw new AssertionError("an AWS service docs/iam.md does not cover: " + service);
    }
    Map<String, String> renamed =
        switch (prefix) {
          case "s3" -> S3_ACTIONS;
          case "sqs" -> SQS_ACTIONS;
          default -> Map.of();
        };
    return prefix + ":" + renamed.getOrDefault(operation, operation);
  }

  private static Set<String> documentedActions() {
    try {
      String doc = Files.readString(SharedTestData.repositoryRoot().resolve("docs/iam.md"));
      int start = doc.indexOf("```json", doc.indexOf("## Ingester policy"));
      String json = doc.substring(start + "```json".length(), doc.indexOf("```", start + 7));
      Set<String> actions = new TreeSet<>();
      for (JsonNode statement : new ObjectMapper().readTree(json).path("Statement")) {
        statement.path("Action").forEach(a -> actions.add(a.asText()));
      }
      return actions;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
