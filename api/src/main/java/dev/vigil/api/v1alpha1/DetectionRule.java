package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A detection: what to match, when to alert, how severe, whom to tell — with its own tests. */
@JsonClassDescription(
    "A detection: what to match, when to alert, how severe, whom to tell, and sample events that prove it. Runs as an OpenSearch Alerting monitor or in the Vigil built-in engine.")
@Group(Groups.SIEM)
@Version(Groups.VERSION)
@Categories(Groups.CATEGORY)
@ShortNames("rule")
@AdditionalPrinterColumn(name = "Severity", jsonPath = ".spec.severity")
@AdditionalPrinterColumn(name = "Executor", jsonPath = ".status.executor")
@AdditionalPrinterColumn(name = "Ready", jsonPath = Groups.READY_PATH)
@AdditionalPrinterColumn(
    type = AdditionalPrinterColumn.Type.INTEGER,
    name = "Alerts",
    jsonPath = ".status.activeAlerts")
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = Groups.AGE_PATH)
public class DetectionRule extends CustomResource<DetectionRuleSpec, DetectionRuleStatus>
    implements Namespaced {
  /**
   * Alert ids to acknowledge, comma- or space-separated ({@code kubectl annotate} or {@code vigil
   * ack}): the built-in engine's next run moves those ACTIVE alerts to ACKNOWLEDGED.
   */
  public static final String ACKNOWLEDGE_ANNOTATION = Groups.SIEM + "/acknowledge";

  /**
   * Alert ids to close, comma- or space-separated ({@code vigil alerts close}): the built-in
   * engine's next run moves those open alerts to COMPLETED with a {@code closedTime}.
   */
  public static final String CLOSE_ANNOTATION = Groups.SIEM + "/close";
}
