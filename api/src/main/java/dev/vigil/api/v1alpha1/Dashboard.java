package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * OpenSearch Dashboards saved objects (index patterns, searches, visualizations, a dashboard) kept
 * in sync.
 */
@JsonClassDescription(
    "OpenSearch Dashboards saved objects (index patterns, saved searches, visualizations and a dashboard) kept in sync with this resource.")
@Group(Groups.SIEM)
@Version(Groups.VERSION)
@Categories(Groups.CATEGORY)
@ShortNames("vdash")
@AdditionalPrinterColumn(name = "Title", jsonPath = ".spec.title")
@AdditionalPrinterColumn(name = "Ready", jsonPath = Groups.READY_PATH)
@AdditionalPrinterColumn(
    type = AdditionalPrinterColumn.Type.INTEGER,
    name = "Objects",
    jsonPath = ".status.objects")
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = Groups.AGE_PATH)
public class Dashboard extends CustomResource<DashboardSpec, DashboardStatus>
    implements Namespaced {}
