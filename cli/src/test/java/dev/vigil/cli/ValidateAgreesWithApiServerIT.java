package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.parts.KubeApiServer;
import dev.vigil.parts.RealParts;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil validate} and the real API server (with the committed CRDs) give the same verdict on
 * the same manifests: sizes the schema limits (maxItems) and object names (DNS-1123 subdomain) the
 * API server enforces are refused offline too, and what the server accepts validate accepts.
 */
class ValidateAgreesWithApiServerIT {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final String NAMESPACE = "validate-parity";

  @TempDir Path dir;

  @Test
  void everyManifestGetsTheApiServersVerdict() throws IOException {
    Map<String, String> cases = new LinkedHashMap<>();
    String severities =
        "spec: {type: Webhook, webhook: {urlSecretRef: {name: a, key: b}}, severities: ";
    cases.put("channel with 5 severities", channel("five") + severities + "[1, 2, 3, 4, 5]}");
    cases.put("channel with 6 severities", channel("six") + severities + "[1, 2, 3, 4, 5, 1]}");
    cases.put("1000 excluded accounts", organization("thousand", 1000));
    cases.put("1001 excluded accounts", organization("one-more", 1001));
    cases.put("name with dots and dashes", channel("team-a.paging") + webhook());
    cases.put("name with capitals", channel("Paging") + webhook());
    cases.put("name with underscore", channel("on_call") + webhook());
    cases.put("name starting with a dash", channel("-paging") + webhook());
    cases.put("name ending with a dot", channel("paging.") + webhook());
    cases.put("name of 253 characters", channel(longName(253)) + webhook());
    cases.put("name of 254 characters", channel(longName(254)) + webhook());
    cases.put("log source name of 63 characters", organization("a".repeat(63), 1));
    cases.put("log source name of 64 characters", organization("a".repeat(64), 1));

    KubeApiServer server = RealParts.kube();
    Map<String, Boolean> apiServer = new LinkedHashMap<>();
    Map<String, Boolean> validate = new LinkedHashMap<>();
    Map<String, String> messages = new LinkedHashMap<>();
    try (KubernetesClient client = server.adminClient()) {
      StatusCommandIT.installCrds(client);
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .serverSideApply();
      int i = 0;
      for (Map.Entry<String, String> c : cases.entrySet()) {
        GenericKubernetesResource resource =
            client
                .getKubernetesSerialization()
                .unmarshal(c.getValue(), GenericKubernetesResource.class);
        try {
          client.resource(resource).dryRun().create();
          apiServer.put(c.getKey(), true);
        } catch (KubernetesClientException e) {
          assertThat(e.getCode()).as(c.getKey() + ": " + e.getMessage()).isIn(400, 422);
          apiServer.put(c.getKey(), false);
        }
        Path file = dir.resolve("case-" + i++ + ".yaml");
        Files.writeString(file, c.getValue() + "\n");
        StringWriter out = new StringWriter();
        CommandLine cli = VigilCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        int exit =
            cli.execute("validate", "--crds", ROOT.resolve("crds").toString(), file.toString());
        validate.put(c.getKey(), exit == 0);
        messages.put(c.getKey(), out.toString().strip());
      }
    }

    assertThat(validate).as("validate's verdicts; its messages: %s", messages).isEqualTo(apiServer);
    // Both kinds of verdict occur, so agreement is not trivial.
    assertThat(apiServer).containsValue(true).containsValue(false);
    assertThat(messages.get("channel with 6 severities"))
        .contains("spec.severities: 6 items, at most 5 allowed");
    assertThat(messages.get("1001 excluded accounts"))
        .contains("spec.aws.excludedAccounts: 1001 items, at most 1000 allowed");
    assertThat(messages.get("name with capitals"))
        .contains(":4: metadata.name: 'Paging' is not a DNS-1123 subdomain");
    assertThat(messages.get("name of 254 characters"))
        .contains("metadata.name: 254 characters, at most 253 allowed");
    assertThat(messages.get("log source name of 64 characters"))
        .contains("a LogSource name has at most 63 characters");
  }

  private static String channel(String name) {
    return "apiVersion: siem.vigil.dev/v1alpha1\nkind: NotificationChannel\nmetadata:\n  name: '"
        + name
        + "'\n  namespace: "
        + NAMESPACE
        + "\n";
  }

  private static String webhook() {
    return "spec: {type: Webhook, webhook: {urlSecretRef: {name: a, key: b}}}";
  }

  private static String organization(String name, int excluded) {
    String accounts =
        IntStream.range(0, excluded)
            .mapToObj(n -> String.format("'%012d'", n))
            .collect(Collectors.joining(", ", "[", "]"));
    return "apiVersion: siem.vigil.dev/v1alpha1\nkind: LogSource\nmetadata:\n  name: "
        + name
        + "\n  namespace: "
        + NAMESPACE
        + "\nspec: {logType: guardduty, s3: {bucket: my-logs}, aws: {roleArn:"
        + " 'arn:aws:iam::123456789012:role/vigil', allOrganizationAccounts: true,"
        + " excludedAccounts: "
        + accounts
        + "}}";
  }

  /** Labels of 63 characters joined by dots, cut to {@code length}, ending with a letter. */
  private static String longName(int length) {
    String label = "a".repeat(63);
    String name = String.join(".", List.of(label, label, label, label, label)).substring(0, length);
    return name.endsWith(".") ? name.substring(0, length - 1) + "b" : name;
  }
}
