package dev.vigil.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.parts.GoTools;
import dev.vigil.testing.RepositoryRoot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * deploy/helm/vigil with the real Helm: it lints, renders with defaults the same objects as the
 * kustomize base (one source of truth, two install paths), and its values do what they say.
 */
class HelmChartIT {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path ROOT = RepositoryRoot.find();
  private static final Path CHART = ROOT.resolve("deploy/helm/vigil");

  @Test
  void chartLints() {
    GoTools.Result lint = GoTools.run(List.of(helm(), "lint", "--strict", CHART.toString()), "");
    assertThat(lint.exit()).as(lint.output()).isZero();
  }

  /**
   * Same objects as {@code kubectl kustomize deploy/kustomize/base}, except what differs by design:
   * the Namespace (Helm's --create-namespace), who manages them (Helm), and labels on the CRDs
   * (Helm installs crds/ as is).
   */
  @Test
  void defaultsRenderTheKustomizeBase() throws Exception {
    GoTools.Result kustomize =
        GoTools.run(
            List.of(
                GoTools.kubectl().toString(),
                "kustomize",
                ROOT.resolve("deploy/kustomize/base").toString()),
            "");
    assertThat(kustomize.exit()).as(kustomize.output()).isZero();
    Map<String, JsonNode> fromKustomize = byId(kustomize.stdout());
    assertThat(fromKustomize.remove("Namespace//vigil-system")).isNotNull();

    Map<String, JsonNode> fromHelm = byId(template("--include-crds"));

    assertThat(fromHelm.keySet()).containsExactlyInAnyOrderElementsOf(fromKustomize.keySet());
    // Numbers compare by value: the CRD files say `minimum: 1.0`, kustomize writes `1`.
    java.util.Comparator<JsonNode> numbersByValue =
        (a, b) ->
            a.isNumber() && b.isNumber()
                ? Double.compare(a.doubleValue(), b.doubleValue())
                : a.equals(b) ? 0 : 1;
    fromKustomize.forEach(
        (id, object) ->
            assertThat(fromHelm.get(id).equals(numbersByValue, object))
                .as("%s differs:%nhelm:      %s%nkustomize: %s", id, fromHelm.get(id), object)
                .isTrue());
  }

  @Test
  void valuesSetImagesIrsaNamespacesAndMonitoring() throws Exception {
    Map<String, JsonNode> objects =
        byId(
            template(
                "--set",
                "image.registry=111122223333.dkr.ecr.eu-west-1.amazonaws.com",
                "--set",
                "image.ingester.tag=1.2.3",
                "--set",
                "operator.roleArn=arn:aws:iam::111122223333:role/vigil-operator",
                "--set",
                "ingesters.serviceAccounts[0].namespace=vigil",
                "--set",
                "ingesters.serviceAccounts[0].roleArn=arn:aws:iam::111122223333:role/vigil-ingester",
                "--set",
                "operator.watchNamespaces={vigil,siem}",
                "--set",
                "monitoring.enabled=true",
                "--set",
                "opensearchConnection.namespace=vigil",
                "--set",
                "opensearchConnection.spec.endpoint=https://search-siem.eu-west-1.es.amazonaws.com",
                "--set",
                "opensearchConnection.spec.auth.type=SigV4"));

    JsonNode container =
        objects
            .get("Deployment/vigil-system/vigil-operator")
            .at("/spec/template/spec/containers/0");
    assertThat(container.get("image").asText())
        .isEqualTo("111122223333.dkr.ecr.eu-west-1.amazonaws.com/vigil-siem/vigil-operator:0.1.0");
    Map<String, String> env = new TreeMap<>();
    container.get("env").forEach(e -> env.put(e.get("name").asText(), e.get("value").asText()));
    assertThat(env)
        .containsEntry(
            "VIGIL_OPERATOR_INGESTERS_IMAGE",
            "111122223333.dkr.ecr.eu-west-1.amazonaws.com/vigil-siem/vigil-ingester:1.2.3")
        .containsEntry("QUARKUS_OPERATOR_SDK_NAMESPACES", "vigil,siem")
        .containsEntry("AWS_STS_REGIONAL_ENDPOINTS", "regional");
    assertThat(
            objects
                .get("ServiceAccount/vigil-system/vigil-operator")
                .at("/metadata/annotations/eks.amazonaws.com~1role-arn")
                .asText())
        .isEqualTo("arn:aws:iam::111122223333:role/vigil-operator");
    assertThat(
            objects
                .get("ServiceAccount/vigil/vigil-ingester")
                .at("/metadata/annotations/eks.amazonaws.com~1role-arn")
                .asText())
        .isEqualTo("arn:aws:iam::111122223333:role/vigil-ingester");
    JsonNode connection = objects.get("OpenSearchConnection/vigil/default");
    assertThat(connection).as(objects.keySet().toString()).isNotNull();
    assertThat(connection.at("/spec/endpoint").asText())
        .isEqualTo("https://search-siem.eu-west-1.es.amazonaws.com");
    assertThat(connection.at("/spec/auth/type").asText()).isEqualTo("SigV4");
    assertThat(objects)
        .containsKeys(
            "ServiceMonitor/vigil-system/vigil-operator",
            "PodMonitor/vigil-system/vigil-ingester",
            "PrometheusRule/vigil-system/vigil");
  }

  /** The monitoring objects are the kustomize component's, moved to the release's namespace. */
  @Test
  void monitoringFollowsTheReleaseNamespace() throws Exception {
    Map<String, JsonNode> objects =
        byId(
            run(
                List.of(
                    helm(),
                    "template",
                    "vigil",
                    CHART.toString(),
                    "--namespace",
                    "observability",
                    "--set",
                    "monitoring.enabled=true")));
    JsonNode serviceMonitor = objects.get("ServiceMonitor/observability/vigil-operator");
    assertThat(serviceMonitor).as(objects.keySet().toString()).isNotNull();
    assertThat(serviceMonitor.at("/spec/namespaceSelector/matchNames/0").asText())
        .isEqualTo("observability");
    assertThat(serviceMonitor.at("/spec/endpoints/0/honorLabels").asBoolean()).isTrue();
    assertThat(objects).containsKey("PrometheusRule/observability/vigil");
  }

  private static String template(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(helm(), "template", "vigil", CHART.toString(), "--namespace", "vigil-system"));
    command.addAll(List.of(args));
    return run(command);
  }

  private static String run(List<String> command) {
    GoTools.Result result = GoTools.run(command, "");
    assertThat(result.exit()).as(result.output()).isZero();
    return result.stdout();
  }

  private static String helm() {
    return GoTools.helm().toString();
  }

  /**
   * Objects by kind/namespace/name, without the labels that name the tool that manages them (and
   * without the base's labels on CRDs, which Helm installs from crds/ as they are).
   */
  private static Map<String, JsonNode> byId(String manifests) throws Exception {
    Map<String, JsonNode> objects = new TreeMap<>();
    for (JsonNode object :
        YAML.readValues(YAML.createParser(manifests), JsonNode.class).readAll()) {
      if (object == null || object.isNull() || object.isEmpty()) {
        continue;
      }
      String kind = object.get("kind").asText();
      JsonNode labels = object.at("/metadata/labels");
      if (labels instanceof ObjectNode l) {
        l.remove("app.kubernetes.io/managed-by");
        if (kind.equals("CustomResourceDefinition")) {
          l.remove("app.kubernetes.io/part-of");
        }
        if (l.isEmpty()) {
          ((ObjectNode) object.get("metadata")).remove("labels");
        }
      }
      String id =
          kind
              + "/"
              + object.at("/metadata/namespace").asText("")
              + "/"
              + object.at("/metadata/name").asText();
      assertThat(objects.put(id, object)).as("two objects named " + id).isNull();
    }
    return objects;
  }
}
