package dev.vigil.operator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.api.v1alpha1.Condition;
import dev.vigil.api.v1alpha1.Dashboard;
import dev.vigil.api.v1alpha1.DashboardSpec;
import dev.vigil.api.v1alpha1.DeletionPolicy;
import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.api.v1alpha1.OpenSearchConnectionSpec;
import dev.vigil.operator.KubeApiServerResource;
import dev.vigil.operator.TestNamespace;
import dev.vigil.operator.common.Conditions;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The operator, in-process on the real API server, syncing Dashboards to a contract server that
 * follows the documented saved-objects API (OpenSearch Dashboards cannot run here).
 */
@QuarkusTest
@QuarkusTestResource(KubeApiServerResource.class)
class DashboardReconcilerContractIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String TENANT = "global";
  private static DashboardsContractServer osd;

  @Inject KubernetesClient client;
  @Inject MeterRegistry metrics;

  private String namespace;

  @BeforeAll
  static void startDashboards() throws Exception {
    osd = new DashboardsContractServer("/_dashboards/");
    osd.requireBasicAuth("vigil", "s3cret");
  }

  @AfterAll
  static void stopDashboards() {
    osd.close();
  }

  @BeforeEach
  void namespaceWithConnection(TestInfo test) {
    String method = test.getTestMethod().orElseThrow().getName().toLowerCase();
    namespace = "dash-" + method.replaceAll("[^a-z0-9]", "").substring(0, 20);
    TestNamespace.create(client, namespace);
    client
        .secrets()
        .inNamespace(namespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("opensearch")
                .endMetadata()
                .withStringData(Map.of("username", "vigil", "password", "s3cret"))
                .build())
        .serverSideApply();
    OpenSearchConnection connection = new OpenSearchConnection();
    connection.getMetadata().setName("default");
    connection.getMetadata().setNamespace(namespace);
    OpenSearchConnectionSpec spec = new OpenSearchConnectionSpec();
    spec.endpoint = "http://127.0.0.1:9"; // the cluster itself plays no part here
    spec.requestTimeout = "2s";
    spec.auth = new OpenSearchConnectionSpec.Auth();
    spec.auth.type = OpenSearchConnectionSpec.AuthType.Basic;
    spec.auth.basic = new OpenSearchConnectionSpec.BasicAuth();
    spec.auth.basic.secretName = "opensearch";
    spec.dashboards = new OpenSearchConnectionSpec.Dashboards();
    spec.dashboards.url = osd.url().toString();
    spec.dashboards.tenant = TENANT;
    connection.setSpec(spec);
    client.resource(connection).create();
  }

  @AfterEach
  void noContractViolations() {
    assertThat(osd.violations).isEmpty();
  }

  @Test
  void syncsASampleRepairsDriftWritesNothingWhenUnchangedAndCleansUp() throws Exception {
    Dashboard dashboard = sample("vpcflow.yaml");
    client.resource(dashboard).create();

    Condition ready = awaitReady("vpcflow", "True");
    assertThat(ready.getReason()).isEqualTo("Synced");
    var status = get("vpcflow").getStatus();
    var store = osd.objects(TENANT);
    assertThat(status.objects).isEqualTo(status.managedObjects.size()).isGreaterThan(10);
    assertThat(store.keySet()).containsAll(status.managedObjects);
    assertThat(store).containsKey("dashboard/" + status.dashboardId);
    assertThat(status.tenant).isEqualTo(TENANT);

    // Unchanged: the resync compares (_bulk_get) and writes nothing.
    int writes = osd.writes();
    int reads = osd.bulkGets.get();
    await().atMost(TIMEOUT).until(() -> osd.bulkGets.get() >= reads + 3);
    assertThat(osd.writes()).isEqualTo(writes);

    // Edited and deleted by hand: both come back, and an event says so.
    String visualization =
        status.managedObjects.stream()
            .filter(k -> k.startsWith("visualization/"))
            .findFirst()
            .orElseThrow();
    String title = store.get(visualization).path("attributes").path("title").asText();
    ((ObjectNode) store.get(visualization).get("attributes")).put("title", "edited by hand");
    String pattern =
        status.managedObjects.stream()
            .filter(k -> k.startsWith("index-pattern/"))
            .findFirst()
            .orElseThrow();
    store.remove(pattern);
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                store.containsKey(pattern)
                    && title.equals(
                        store.get(visualization).path("attributes").path("title").asText()));
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                client.v1().events().inNamespace(namespace).list().getItems().stream()
                    .anyMatch(e -> "DriftRepaired".equals(e.getReason())));

    // A panel dropped from the spec: its visualization is deleted from Dashboards.
    Dashboard current = get("vpcflow");
    int panels = current.getSpec().panels.size();
    var dropped = current.getSpec().panels.get(panels - 2); // "Protocols"
    assertThat(dropped.title).isEqualTo("Protocols");
    current.getSpec().panels = new ArrayList<>(current.getSpec().panels);
    current.getSpec().panels.remove(panels - 2);
    client.resource(current).update();
    await()
        .atMost(TIMEOUT)
        .until(() -> get("vpcflow").getStatus().managedObjects.size() == status.objects - 1);
    assertThat(store.values())
        .noneMatch(o -> "Protocols".equals(o.path("attributes").path("title").asText()));

    // Deleting the resource deletes its objects, then the finalizer lets go.
    var managed = get("vpcflow").getStatus().managedObjects;
    client.resource(get("vpcflow")).delete();
    await().atMost(TIMEOUT).until(() -> get("vpcflow") == null);
    assertThat(store.keySet()).doesNotContainAnyElementsOf(managed);
  }

  @Test
  void withoutDriftRepairHandEditsStayTenantChangesMoveAndRetainKeepsTheObjects() throws Exception {
    Dashboard dashboard = sample("alerts.yaml");
    dashboard.getSpec().repairDrift = false;
    dashboard.getSpec().deletionPolicy = DeletionPolicy.Retain;
    dashboard.getSpec().tenant = "analysts";
    client.resource(dashboard).create();
    awaitReady("alerts", "True");
    var store = osd.objects("analysts");
    String dashboardKey = "dashboard/" + get("alerts").getStatus().dashboardId;
    assertThat(store).containsKey(dashboardKey);

    ((ObjectNode) store.get(dashboardKey).get("attributes")).put("title", "tinkered");
    int writes = osd.writes();
    int reads = osd.bulkGets.get();
    double unchanged = counter("vigil_status_unchanged_total");
    await().atMost(TIMEOUT).until(() -> counter("vigil_status_unchanged_total") >= unchanged + 3);
    assertThat(osd.writes()).as("no repair, no write").isEqualTo(writes);
    assertThat(osd.bulkGets.get()).as("not even a comparison").isEqualTo(reads);
    assertThat(store.get(dashboardKey).path("attributes").path("title").asText())
        .isEqualTo("tinkered");

    // Another tenant: the objects move there (the tinkered one is re-imported as rendered).
    Dashboard moved = get("alerts");
    moved.getSpec().tenant = "security";
    client.resource(moved).update();
    var security = osd.objects("security");
    await().atMost(TIMEOUT).until(() -> security.containsKey(dashboardKey) && store.isEmpty());
    assertThat(security.get(dashboardKey).path("attributes").path("title").asText())
        .isEqualTo("Vigil — Alerts");
    await().atMost(TIMEOUT).until(() -> "security".equals(get("alerts").getStatus().tenant));

    client.resource(get("alerts")).delete();
    await().atMost(TIMEOUT).until(() -> get("alerts") == null);
    assertThat(security).containsKey(dashboardKey);
  }

  @Test
  void invalidSpecsMissingConnectionsAndRejectedImportsAreReported() throws Exception {
    int writes = osd.writes();
    Dashboard broken = new Dashboard();
    broken.getMetadata().setName("broken");
    broken.getMetadata().setNamespace(namespace);
    broken.setSpec(new DashboardSpec());
    broken.getSpec().title = "Broken";
    broken.getSpec().indexPatterns = new ArrayList<>();
    var pattern = new DashboardSpec.IndexPattern();
    pattern.name = "ct";
    pattern.pattern = "vigil-cloudtrail-*";
    broken.getSpec().indexPatterns.add(pattern);
    var panel = new DashboardSpec.Panel();
    panel.title = "Top";
    panel.type = DashboardSpec.PanelType.Pie;
    panel.search = "nope";
    broken.getSpec().panels = new ArrayList<>();
    broken.getSpec().panels.add(panel);
    client.resource(broken).create();
    Condition invalid = awaitReady("broken", "False");
    assertThat(invalid.getReason()).isEqualTo("InvalidSpec");
    assertThat(invalid.getMessage())
        .isEqualTo("spec.panels[0].search: no entry named 'nope' in spec.searches");

    Dashboard orphan = sample("main.yaml");
    orphan.getMetadata().setName("orphan");
    orphan.getSpec().connectionRef = new dev.vigil.api.v1alpha1.ConnectionRef("elsewhere");
    client.resource(orphan).create();
    Condition missing = awaitReady("orphan", "False");
    assertThat(missing.getReason()).isEqualTo("ConnectionNotFound");
    assertThat(missing.getMessage()).contains("spec.connectionRef").contains("elsewhere");
    assertThat(osd.writes()).isEqualTo(writes);

    // An export whose visualization points at an index pattern Dashboards does not have.
    Dashboard dangling = new Dashboard();
    dangling.getMetadata().setName("dangling");
    dangling.getMetadata().setNamespace(namespace);
    dangling.setSpec(new DashboardSpec());
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    ObjectNode vis = json.createObjectNode().put("type", "visualization").put("id", "exported-vis");
    ObjectNode attributes = vis.putObject("attributes").put("title", "Exported");
    attributes.put(
        "visState", "{\"title\":\"Exported\",\"type\":\"metric\",\"aggs\":[],\"params\":{}}");
    attributes.put("uiStateJSON", "{}");
    attributes
        .putObject("kibanaSavedObjectMeta")
        .put(
            "searchSourceJSON",
            "{\"indexRefName\":\"kibanaSavedObjectMeta.searchSourceJSON.index\"}");
    vis.putArray("references")
        .addObject()
        .put("name", "kibanaSavedObjectMeta.searchSourceJSON.index")
        .put("type", "index-pattern")
        .put("id", "nope");
    dangling.getSpec().rawObjects = vis.toString();
    client.resource(dangling).create();
    Condition failed = awaitReady("dangling", "False");
    assertThat(failed.getReason()).isEqualTo("ImportFailed");
    assertThat(failed.getMessage())
        .contains("visualization/exported-vis: missing_references [index-pattern/nope]");
  }

  @Test
  void rawExportedObjectsAreImportedAsTheyAreAndAWrongPasswordIsUnauthorized() throws Exception {
    client
        .secrets()
        .inNamespace(namespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("opensearch")
                .endMetadata()
                .withStringData(Map.of("username", "vigil", "password", "wrong"))
                .build())
        .serverSideApply();
    Dashboard raw = new Dashboard();
    raw.getMetadata().setName("raw");
    raw.getMetadata().setNamespace(namespace);
    raw.setSpec(new DashboardSpec());
    raw.getSpec().rawObjects =
        "{\"type\":\"index-pattern\",\"id\":\"exported-waf\",\"attributes\":{\"title\":\"vigil-waf-*\",\"timeFieldName\":\"@timestamp\"},\"references\":[]}\n"
            + "{\"exportedCount\":1,\"missingRefCount\":0,\"missingReferences\":[]}\n";
    client.resource(raw).create();
    Condition unauthorized = awaitReady("raw", "False");
    assertThat(unauthorized.getReason()).isEqualTo("Unauthorized");
    assertThat(unauthorized.getMessage()).contains("401").doesNotContain("wrong");

    // Fixed credentials are picked up on the next (backed-off) attempt.
    client
        .secrets()
        .inNamespace(namespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("opensearch")
                .endMetadata()
                .withStringData(Map.of("username", "vigil", "password", "s3cret"))
                .build())
        .serverSideApply();
    awaitReady("raw", "True");
    var status = get("raw").getStatus();
    assertThat(status.managedObjects).containsExactly("index-pattern/exported-waf");
    assertThat(status.dashboardId).isNull();
    assertThat(
            osd.objects(TENANT)
                .get("index-pattern/exported-waf")
                .path("attributes")
                .path("title")
                .asText())
        .isEqualTo("vigil-waf-*");
  }

  private Dashboard sample(String file) throws Exception {
    try (InputStream in =
        Files.newInputStream(
            KubeApiServerResource.repositoryRoot().resolve("samples/dashboards").resolve(file))) {
      Dashboard dashboard = client.resources(Dashboard.class).load(in).item();
      dashboard.getMetadata().setNamespace(namespace);
      return dashboard;
    }
  }

  private Dashboard get(String name) {
    return client.resources(Dashboard.class).inNamespace(namespace).withName(name).get();
  }

  private Condition awaitReady(String name, String status) {
    return await()
        .atMost(TIMEOUT)
        .until(
            () -> {
              Dashboard d = get(name);
              if (d == null || d.getStatus() == null) {
                return null;
              }
              return Conditions.find(d.getStatus().conditions, Conditions.READY)
                  .filter(c -> status.equals(c.getStatus()))
                  .orElse(null);
            },
            c -> c != null);
  }

  private double counter(String name) {
    return metrics.find(name).tag("kind", "Dashboard").counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }
}
