package dev.vigil.operator.dashboard;

import dev.vigil.api.v1alpha1.Dashboard;
import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.operator.common.InvalidSpecException;
import dev.vigil.operator.connection.EndpointResolver;
import dev.vigil.operator.opensearch.OpenSearchEndpoint;
import dev.vigil.operator.opensearch.OpenSearchRest;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;

/**
 * Where a Dashboard's objects go: the {@code spec.dashboards.url} of its OpenSearchConnection,
 * reached with that connection's credentials and TLS settings (Basic auth, or SigV4 for Amazon
 * OpenSearch Service, whose Dashboards accepts the same signed requests), in the Dashboard's tenant
 * or else the connection's.
 */
public class DashboardsTargets {
  /** The resolved destination: its URL (for messages and the hash), tenant and HTTP access. */
  public record Target(String url, String tenant, OpenSearchRest rest) {
    DashboardsClient client() {
      return new DashboardsClient(rest, tenant);
    }

    /** The same Dashboards in another tenant (null: no tenant header). */
    Target inTenant(String other) {
      return new Target(url, other, rest);
    }
  }

  private final KubernetesClient kube;
  private final EndpointResolver endpoints;

  public DashboardsTargets(KubernetesClient kube) {
    this.kube = kube;
    this.endpoints = new EndpointResolver(kube);
  }

  Target resolve(Dashboard dashboard) throws DashboardsTargetException, InvalidSpecException {
    return resolveWithTenant(dashboard, null);
  }

  /**
   * Same as {@link #resolve}, in the given tenant (where objects were synced before) if not null.
   */
  Target resolveWithTenant(Dashboard dashboard, String tenantOverride)
      throws DashboardsTargetException, InvalidSpecException {
    String namespace = dashboard.getMetadata().getNamespace();
    var spec = dashboard.getSpec();
    String name =
        spec.connectionRef == null || spec.connectionRef.name == null
            ? "default"
            : spec.connectionRef.name;
    OpenSearchConnection connection =
        kube.resources(OpenSearchConnection.class).inNamespace(namespace).withName(name).get();
    if (connection == null) {
      throw new DashboardsTargetException(
          "ConnectionNotFound",
          "spec.connectionRef: OpenSearchConnection " + namespace + "/" + name + " not found");
    }
    var dashboards = connection.getSpec().dashboards;
    if (dashboards == null || dashboards.url == null) {
      throw new DashboardsTargetException(
          "NoDashboardsUrl",
          "OpenSearchConnection "
              + namespace
              + "/"
              + name
              + " has no spec.dashboards.url to sync Dashboards to");
    }
    OpenSearchEndpoint cluster = endpoints.resolve(connection);
    String url = dashboards.url.endsWith("/") ? dashboards.url : dashboards.url + "/";
    OpenSearchEndpoint endpoint =
        new OpenSearchEndpoint(
            URI.create(url),
            cluster.auth(),
            cluster.sslContext(),
            cluster.skipHostnameVerification(),
            cluster.timeout());
    String tenant = spec.tenant != null ? spec.tenant : dashboards.tenant;
    return new Target(url, tenant, new OpenSearchRest(endpoint));
  }
}
