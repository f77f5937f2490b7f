package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Where and how to reach OpenSearch, and what that cluster can do. */
@JsonClassDescription(
    "Where and how Vigil reaches an OpenSearch cluster, and what that cluster can do (version, health, plugins).")
@Group(Groups.SIEM)
@Version(Groups.VERSION)
@Categories(Groups.CATEGORY)
@ShortNames("osconn")
@AdditionalPrinterColumn(name = "Ready", jsonPath = Groups.READY_PATH)
@AdditionalPrinterColumn(name = "Version", jsonPath = ".status.version")
@AdditionalPrinterColumn(name = "Health", jsonPath = ".status.clusterHealth")
@AdditionalPrinterColumn(name = "Endpoint", jsonPath = ".spec.endpoint", priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = Groups.AGE_PATH)
public class OpenSearchConnection
    extends CustomResource<OpenSearchConnectionSpec, OpenSearchConnectionStatus>
    implements Namespaced {}
