package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.api.v1alpha1.DetectionRule;
import dev.vigil.api.v1alpha1.DetectionRuleSpec;
import dev.vigil.api.v1alpha1.LogTypeName;
import dev.vigil.core.alerts.Alert;
import dev.vigil.core.alerts.AlertIndexMapping;
import dev.vigil.core.alerts.AlertLifecycle;
import dev.vigil.core.alerts.AlertRule;
import dev.vigil.core.alerts.Trigger;
import dev.vigil.core.rules.Attack;
import dev.vigil.parts.FreePorts;
import dev.vigil.parts.KubeApiServer;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.testing.RealPartsExtension;
import dev.vigil.testing.Secured;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil alerts} against the secured OpenSearch node (TLS with its CA, basic auth with a
 * password file) holding alerts the engine's own lifecycle made ({@link AlertLifecycle}, written as
 * the operator's AlertIndex writes them), and the real API server for {@code ack}.
 */
@ExtendWith(RealPartsExtension.class)
class AlertsCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private final OpenSearchNode node;
  @TempDir Path dir;

  AlertsCommandIT(@Secured OpenSearchNode node) {
    this.node = node;
  }

  @Test
  void listFiltersByRuleSeverityStateTimeAndAccount() throws Exception {
    AlertRule root = rule("alerts-list", "root-login", 1, List.of());
    AlertRule keys = rule("alerts-list", "access-keys", 3, List.of());
    write(
        AlertLifecycle.afterRun(
            root,
            T0,
            List.of(
                trigger("111111111111", "root", T0),
                trigger("222222222222", "root", T0),
                // an account id elsewhere in the key (a user named after one) is not the account
                trigger("333333333333", "111111111111", T0)),
            List.of(),
            Set.of()));
    write(
        AlertLifecycle.afterRun(
            keys,
            T0.plus(Duration.ofHours(2)),
            List.of(trigger("111111111111", "alice", T0.plus(Duration.ofHours(2)))),
            List.of(),
            Set.of()));

    Result table = run("alerts", "list", "--rule", "alerts-list/root-login");
    assertThat(table.exit()).as(table.output()).isZero();
    assertThat(table.output())
        .containsPattern("ID +RULE +SEV +STATE")
        .containsPattern("alerts-list/root-login +1 +ACTIVE +2026-12-01T10:00:00Z")
        .contains("cloud.account.id=111111111111 user.name=root")
        .contains("cloud.account.id=222222222222 user.name=root")
        .doesNotContain("access-keys");

    assertThat(names(json("list", "--rule", "access-keys")))
        .as("a rule name alone matches in any namespace")
        .containsExactly("access-keys");
    assertThat(
            keys(
                json(
                    "list",
                    "--rule",
                    "alerts-list/root-login",
                    "--rule",
                    "access-keys",
                    "--account",
                    "111111111111")))
        .containsExactly("alice", "root"); // newest first
    assertThat(
            names(json("list", "--rule", "alerts-list/root-login,access-keys", "--severity", "3")))
        .containsOnly("access-keys")
        .hasSize(1);
    assertThat(
            names(
                json(
                    "list",
                    "--rule",
                    "alerts-list/root-login,access-keys",
                    "--since",
                    "2026-12-01T11:00:00Z")))
        .containsOnly("access-keys");
    assertThat(
            names(
                json(
                    "list",
                    "--rule",
                    "alerts-list/root-login,access-keys",
                    "--until",
                    "2026-12-01T11:00:00Z")))
        .containsOnly("root-login")
        .hasSize(3);
    assertThat(
            names(
                json(
                    "list",
                    "--rule",
                    "alerts-list/root-login,access-keys",
                    "--state",
                    "acknowledged")))
        .isEmpty();
    assertThat(names(json("list", "--rule", "alerts-list/root-login,access-keys", "--open")))
        .hasSize(4);
    assertThat(
            names(
                json("list", "--rule", "alerts-list/root-login,access-keys", "--state", "active")))
        .hasSize(4);
    assertThat(names(json("list", "--rule", "other-namespace/root-login"))).isEmpty();
  }

  @Test
  void showPrintsTheAlertItsTechniquesAndMatchingDocuments() throws Exception {
    AlertRule rule =
        rule(
            "alerts-show",
            "cloudtrail-stopped",
            2,
            List.of(new Attack("TA0005", "T1562.008"), new Attack("TA0005", "T1562.001")));
    String id =
        write(
                AlertLifecycle.afterRun(
                    rule, T0, List.of(trigger("333333333333", "bob", T0)), List.of(), Set.of()))
            .get(0);

    Result text = run("alerts", "show", id);
    assertThat(text.exit()).as(text.output()).isZero();
    assertThat(text.output())
        .contains("Rule:          alerts-show/cloudtrail-stopped")
        .contains("State:         ACTIVE")
        .contains("Tactics:       TA0005")
        .contains("Techniques:    T1562, T1562.008, T1562.001")
        .contains("Matching documents (2):\n  doc-333333333333-1\n  doc-333333333333-2");

    for (String format : List.of("json", "yaml")) {
      Result structured = run("alerts", "show", id, "-o", format);
      JsonNode alert =
          (format.equals("json") ? JSON : new ObjectMapper(new YAMLFactory()))
              .readTree(structured.output());
      assertThat(alert.path("id").asText()).isEqualTo(id);
      assertThat(alert.at("/threat/technique/subtechnique/id").toString())
          .isEqualTo("[\"T1562.008\",\"T1562.001\"]");
      assertThat(alert.path("matchingDocumentIds")).hasSize(2);
    }

    Result missing = run("alerts", "show", "no-such-alert");
    assertThat(missing.exit()).as(missing.output()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(missing.output()).contains("no alert no-such-alert in vigil-alerts");
  }

  /**
   * The annotation {@code alerts ack} writes, read back from the API server and handed to the
   * engine's lifecycle, acknowledges the alert; an alert not ACTIVE is not sent.
   */
  @Test
  void ackAndCloseAnnotateTheAlertsRuleSoTheEnginesNextRunAppliesThem(KubeApiServer kube)
      throws Exception {
    AlertRule rule = rule("alerts-ack", "root-login", 1, List.of());
    List<Trigger> firing =
        List.of(trigger("444444444444", "root", T0), trigger("555555555555", "root", T0));
    List<String> ids = write(AlertLifecycle.afterRun(rule, T0, firing, List.of(), Set.of()));
    try (KubernetesClient client = kube.adminClient()) {
      StatusCommandIT.installCrds(client);
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName("alerts-ack").endMetadata().build())
          .serverSideApply();
      DetectionRule resource = new DetectionRule();
      resource.getMetadata().setName("root-login");
      resource.getMetadata().setNamespace("alerts-ack");
      resource.setSpec(new DetectionRuleSpec());
      resource.getSpec().severity = 1;
      resource.getSpec().logType = LogTypeName.cloudtrail;
      resource.getSpec().query = "user.name:root";
      client.resource(resource).create();

      // -n names another namespace: the rule is found from the alert, not from -n.
      Result acked =
          run(
              "alerts",
              "ack",
              ids.get(0),
              "-n",
              "default",
              "--kubeconfig",
              kube.kubeconfig().toString());
      assertThat(acked.exit()).as(acked.output()).isZero();
      assertThat(acked.output())
          .contains("DetectionRule alerts-ack/root-login: 1 alert id(s) added");

      String annotation =
          client
              .resources(DetectionRule.class)
              .inNamespace("alerts-ack")
              .withName("root-login")
              .get()
              .getMetadata()
              .getAnnotations()
              .get(DetectionRule.ACKNOWLEDGE_ANNOTATION);
      List<Alert> open = alerts(ids);
      write(
          AlertLifecycle.afterRun(
              rule, T0.plusSeconds(300), firing, open, AcknowledgeCommand.ids(annotation)));
      assertThat(
              JSON.readTree(run("alerts", "show", ids.get(0), "-o", "json").output())
                  .path("state")
                  .asText())
          .isEqualTo("ACKNOWLEDGED");
      assertThat(
              JSON.readTree(run("alerts", "show", ids.get(1), "-o", "json").output())
                  .path("state")
                  .asText())
          .isEqualTo("ACTIVE");

      Result again = run("alerts", "ack", ids.get(0), "--kubeconfig", kube.kubeconfig().toString());
      assertThat(again.exit()).as(again.output()).isZero();
      assertThat(again.output()).contains(ids.get(0) + ": ACKNOWLEDGED, nothing to acknowledge");

      Result missing =
          run(
              "alerts",
              "ack",
              ids.get(1),
              "no-such-alert",
              "--kubeconfig",
              kube.kubeconfig().toString());
      assertThat(missing.exit()).as(missing.output()).isEqualTo(ExitCodes.NOT_FOUND);
      assertThat(
              client
                  .resources(DetectionRule.class)
                  .inNamespace("alerts-ack")
                  .withName("root-login")
                  .get()
                  .getMetadata()
                  .getAnnotations()
                  .get(DetectionRule.ACKNOWLEDGE_ANNOTATION))
          .as("nothing acknowledged when one id is unknown")
          .isEqualTo(annotation);

      // close: the acknowledged alert, through the rule's close annotation and the engine's run.
      Result closed =
          run("alerts", "close", ids.get(0), "--kubeconfig", kube.kubeconfig().toString());
      assertThat(closed.exit()).as(closed.output()).isZero();
      String closeAnnotation =
          client
              .resources(DetectionRule.class)
              .inNamespace("alerts-ack")
              .withName("root-login")
              .get()
              .getMetadata()
              .getAnnotations()
              .get(DetectionRule.CLOSE_ANNOTATION);
      write(
          AlertLifecycle.afterRun(
              rule,
              T0.plusSeconds(600),
              firing,
              alerts(ids),
              new AlertLifecycle.Requests(Set.of(), AcknowledgeCommand.ids(closeAnnotation))));
      JsonNode first = JSON.readTree(run("alerts", "show", ids.get(0), "-o", "json").output());
      assertThat(first.path("state").asText()).isEqualTo("COMPLETED");
      assertThat(first.path("closedTime").asText()).isNotEmpty();
      assertThat(
              JSON.readTree(run("alerts", "show", ids.get(1), "-o", "json").output())
                  .path("state")
                  .asText())
          .as("the other alert of the rule stays open")
          .isEqualTo("ACTIVE");
      Result closedAgain =
          run("alerts", "close", ids.get(0), "--kubeconfig", kube.kubeconfig().toString());
      assertThat(closedAgain.output()).contains(ids.get(0) + ": COMPLETED, nothing to close");
    }
  }

  @Test
  void wrongCredentialsOrNoOpenSearchExitThree() throws Exception {
    Path wrong = Files.writeString(dir.resolve("wrong"), "not-the-password");
    Result refused = runAs(wrong, "alerts", "list");
    assertThat(refused.exit()).as(refused.output()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(refused.output()).contains("refused").contains("401");

    StringWriter output = new StringWriter();
    CommandLine cli = VigilCommand.commandLine();
    cli.setOut(new PrintWriter(output, true));
    cli.setErr(new PrintWriter(output, true));
    int exit =
        cli.execute("alerts", "list", "--opensearch", "http://127.0.0.1:" + FreePorts.next());
    assertThat(exit).as(output.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(output.toString())
        .contains("cannot reach OpenSearch at http://127.0.0.1:")
        .contains("connection refused");
  }

  private static AlertRule rule(String namespace, String name, int severity, List<Attack> mitre) {
    return new AlertRule(
        namespace,
        name,
        severity,
        List.of("test"),
        mitre,
        "count > 0",
        null,
        Duration.ofHours(1),
        List.of("cloud.account.id", "user.name"));
  }

  private static Trigger trigger(String account, String user, Instant first) {
    return new Trigger(
        Map.of("cloud.account.id", account, "user.name", user),
        2,
        first,
        List.of("doc-" + account + "-1", "doc-" + account + "-2"),
        JSON.createObjectNode());
  }

  /**
   * Writes a lifecycle plan as the operator's AlertIndex does (index with Vigil's mapping, bulk
   * create and index, refresh); returns the ids written.
   */
  private List<String> write(AlertLifecycle.Plan plan) throws Exception {
    HttpResponse<String> created =
        send(
            node.request("/" + AlertIndexMapping.INDEX)
                .PUT(body(JSON.writeValueAsBytes(AlertIndexMapping.body()))));
    assertThat(created.statusCode() == 200 || created.body().contains("already_exists"))
        .as(created.body())
        .isTrue();
    ByteArrayOutputStream ndjson = new ByteArrayOutputStream();
    List<String> ids = new ArrayList<>();
    for (Alert alert : plan.create()) {
      line(ndjson, "create", alert);
      ids.add(alert.id);
    }
    for (Alert alert : plan.update()) {
      line(ndjson, "index", alert);
      ids.add(alert.id);
    }
    HttpResponse<String> bulk =
        send(node.request("/_bulk?refresh=true").POST(body(ndjson.toByteArray())));
    assertThat(JSON.readTree(bulk.body()).path("errors").asBoolean()).as(bulk.body()).isFalse();
    return ids;
  }

  private List<Alert> alerts(List<String> ids) throws Exception {
    List<Alert> alerts = new ArrayList<>();
    for (String id : ids) {
      JsonNode doc =
          JSON.readTree(
              send(node.request("/" + AlertIndexMapping.INDEX + "/_doc/" + id).GET()).body());
      Alert alert = JSON.treeToValue(doc.path("_source"), Alert.class);
      alert.id = id;
      alerts.add(alert);
    }
    return alerts;
  }

  private static void line(ByteArrayOutputStream out, String op, Alert alert) throws Exception {
    out.write(
        JSON.writeValueAsBytes(
            Map.of(op, Map.of("_index", AlertIndexMapping.INDEX, "_id", alert.id))));
    out.write('\n');
    out.write(JSON.writeValueAsBytes(alert));
    out.write('\n');
  }

  private static HttpRequest.BodyPublisher body(byte[] bytes) {
    return HttpRequest.BodyPublishers.ofByteArray(bytes);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return node.httpClient()
        .send(
            request.header("Content-Type", "application/json").build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("alerts"));
    all.addAll(List.of(args));
    all.addAll(List.of("-o", "json"));
    Result result = run(all.toArray(String[]::new));
    assertThat(result.exit()).as(result.output()).isZero();
    return JSON.readTree(result.output());
  }

  private static List<String> names(JsonNode alerts) {
    return alerts.findValuesAsText("name");
  }

  private static List<String> keys(JsonNode alerts) {
    List<String> users = new ArrayList<>();
    alerts.forEach(alert -> users.add(alert.path("key").path("user.name").asText()));
    return users;
  }

  private record Result(int exit, String output) {}

  private Result run(String... args) throws Exception {
    return runAs(Files.writeString(dir.resolve("password"), node.password()), args);
  }

  private Result runAs(Path passwordFile, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--opensearch",
            node.uri().toString(),
            "--opensearch-user",
            node.username(),
            "--opensearch-password-file",
            passwordFile.toString(),
            "--opensearch-ca",
            node.caCertificate().toString()));
    StringWriter output = new StringWriter();
    CommandLine cli = VigilCommand.commandLine();
    cli.setOut(new PrintWriter(output, true));
    cli.setErr(new PrintWriter(output, true));
    int exit = cli.execute(all.toArray(String[]::new));
    return new Result(exit, output.toString());
  }
}
