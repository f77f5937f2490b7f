package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * An AWS log to collect from S3 into OpenSearch, with the AWS wiring and the ingesters that load
 * it.
 */
@JsonClassDescription(
    "An AWS log Vigil collects: the S3 location it lands in, the AWS wiring that announces new objects (SQS, subscriptions, EventBridge) and the ingesters that index it into OpenSearch.")
@Group(Groups.SIEM)
@Version(Groups.VERSION)
@Categories(Groups.CATEGORY)
// The name becomes a label value on the ingester workload (siem.vigil.dev/logsource), which
// Kubernetes limits to 63 characters.
@ValidationRule(
    value = "self.metadata.name.size() <= 63",
    message = "a LogSource name has at most 63 characters (it labels the ingester workload)")
@ShortNames("logsrc")
@AdditionalPrinterColumn(name = "Type", jsonPath = ".spec.logType")
@AdditionalPrinterColumn(name = "Bucket", jsonPath = ".spec.s3.bucket")
@AdditionalPrinterColumn(name = "Ready", jsonPath = Groups.READY_PATH)
@AdditionalPrinterColumn(
    type = AdditionalPrinterColumn.Type.INTEGER,
    name = "Replicas",
    jsonPath = ".status.replicas")
@AdditionalPrinterColumn(
    type = AdditionalPrinterColumn.Type.INTEGER,
    name = "Lag",
    jsonPath = ".status.lagSeconds",
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = Groups.AGE_PATH)
public class LogSource extends CustomResource<LogSourceSpec, LogSourceStatus>
    implements Namespaced {
  /** Label on the ingester workload naming the LogSource it serves. */
  public static final String LABEL = Groups.SIEM + "/logsource";

  /**
   * Annotation on the ingester's pod template: the hash of its configuration, so a changed
   * configuration rolls the pods (the operator writes it, the demo's local kubelet watches it).
   */
  public static final String CONFIG_HASH_ANNOTATION = Groups.SIEM + "/config-hash";
}
