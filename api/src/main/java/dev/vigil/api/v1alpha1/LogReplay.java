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
 * A one-off backfill: the objects of an S3 prefix whose key dates fall in a range, ingested into a
 * side index by a Kubernetes Job running the ingester in replay mode.
 */
@JsonClassDescription(
    "A one-off backfill from S3: the log objects of a bucket prefix whose key dates fall in a range,"
        + " ingested into their own index prefix by a Kubernetes Job running the ingester in replay"
        + " mode. Deleting the LogReplay deletes its Job; the documents stay.")
@Group(Groups.SIEM)
@Version(Groups.VERSION)
@Categories(Groups.CATEGORY)
@ShortNames("replay")
@AdditionalPrinterColumn(name = "From", jsonPath = ".spec.from")
@AdditionalPrinterColumn(name = "To", jsonPath = ".spec.to")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(
    type = AdditionalPrinterColumn.Type.INTEGER,
    name = "Objects",
    jsonPath = ".status.progress.objectsDone")
@AdditionalPrinterColumn(name = "Ready", jsonPath = Groups.READY_PATH)
@AdditionalPrinterColumn(name = "Reason", jsonPath = Groups.REASON_PATH, priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = Groups.AGE_PATH)
public class LogReplay extends CustomResource<LogReplaySpec, LogReplayStatus>
    implements Namespaced {
  /** The label on a LogReplay's Job, ConfigMap and pods: the LogReplay's name. */
  public static final String LABEL = Groups.SIEM + "/logreplay";
}
