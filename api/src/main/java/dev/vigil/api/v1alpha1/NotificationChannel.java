package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Where alerts are delivered: SNS, Slack, Chime, Teams, a webhook or e-mail. */
@JsonClassDescription(
    "A destination for alerts (SNS, Slack, Chime, Teams, webhook or e-mail) and the severities it receives.")
@Group(Groups.SIEM)
@Version(Groups.VERSION)
@Categories(Groups.CATEGORY)
@ShortNames("channel")
@AdditionalPrinterColumn(name = "Type", jsonPath = ".spec.type")
@AdditionalPrinterColumn(name = "Ready", jsonPath = Groups.READY_PATH)
@AdditionalPrinterColumn(
    type = AdditionalPrinterColumn.Type.INTEGER,
    name = "Failures",
    jsonPath = ".status.failedDeliveries",
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = Groups.AGE_PATH)
public class NotificationChannel
    extends CustomResource<NotificationChannelSpec, NotificationChannelStatus>
    implements Namespaced {}
