package dev.vigil.core.parse.types;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.DocumentBuilder;
import dev.vigil.core.parse.ParseContext;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * AWS Security Hub findings in the AWS Security Finding Format (ASFF): a bare finding, an array of
 * findings, {@code {"Findings":[…]}} (BatchImportFindings / GetFindings) or an EventBridge event
 * ({@code detail-type} "Security Hub Findings - Imported" / "- Custom Action") with {@code
 * detail.findings[]}. One document per version of a finding, timed by {@link #versionTime}; its id
 * hashes the finding's {@code Id} with that time's text, so each update of a finding is a document
 * of its own and a redelivered update overwrites itself. The finding's latest state is kept under a
 * hash of {@code ProductArn} and {@code Id}, which together identify a finding (the {@code
 * AwsSecurityFindingIdentifier} of the Security Hub API).
 */
public final class SecurityHubParser extends FindingsParser {
  @Override
  public LogType type() {
    return LogType.SECURITYHUB;
  }

  @Override
  void object(ObjectNode root, ParseContext context, long record, long offset) throws IOException {
    boolean envelope = root.has("detail-type") || root.has("detail");
    if (envelope) {
      JsonNode detail = root.get("detail");
      String reason;
      if (detail == null || !detail.isObject()) {
        reason =
            detail == null
                ? "EventBridge event has no detail"
                : "EventBridge event's detail must be an object, found " + kind(detail);
      } else if (!detail.has("findings")) {
        reason = "EventBridge event has no detail.findings array";
      } else {
        reason =
            "EventBridge event's detail.findings must be an array of findings, found "
                + kind(detail.get("findings"));
      }
      String detailType = text(root, "detail-type");
      context.reject(
          record,
          offset,
          reason + (detailType != null ? " (detail-type '" + detailType + "')" : ""));
      return;
    }
    if (!rejectedMisshapedFindingsList(root, context, record, offset)) {
      finding(root, context, record, offset);
    }
  }

  @Override
  void finding(ObjectNode finding, ParseContext context, long record, long offset)
      throws IOException {
    List<String> problems = textProblems(finding, "Id", "ProductArn", "AwsAccountId");
    String timeField = finding.has("UpdatedAt") ? "UpdatedAt" : "CreatedAt";
    String timeText = text(finding, timeField);
    Instant time = Support.instant(timeText);
    if (!finding.has("UpdatedAt") && !finding.has("CreatedAt")) {
      problems.add("UpdatedAt (or CreatedAt) is missing");
    } else if (time == null) {
      problems.add(
          timeField
              + " must be an ISO-8601 time, found "
              + (timeText != null ? "'" + timeText + "'" : kind(finding.get(timeField))));
    }
    if (rejectedInvalid(finding, "ASFF", "Id", problems, context, record, offset)) {
      return;
    }
    timeText = versionTime(finding, timeText);
    time = Support.instant(timeText);
    String id = text(finding, "Id");
    DocumentBuilder doc = context.builder();
    writeFinding(doc, finding);

    JsonNode severity = finding.path("Severity");
    Integer normalized =
        severity.path("Normalized").isNumber() ? severity.path("Normalized").intValue() : null;
    String label = text(severity, "Label");
    if (label == null && normalized != null) {
      label = severityLabel(normalized);
    } else if (label != null && normalized == null) {
      normalized = normalizedSeverity(label);
    }
    JsonNode productFields = finding.path("ProductFields");
    String productArn = text(finding, "ProductArn");
    Arn product = Arn.parse(productArn);
    String region = text(finding, "Region");
    if (region == null && product != null) {
      region = product.regionOrNull();
    }
    if (region == null) {
      region = text(finding.path("Resources").path(0), "Region");
    }
    String productName = productName(finding, product);

    doc.timestamp(time, Support.utcText(timeText))
        .event("kind", "alert")
        .event("id", id)
        .event("action", text(finding, "Title"))
        .event("provider", productName)
        .event("severity", normalized)
        .account(text(finding, "AwsAccountId"))
        .region(region);
    Set<String> resourceTypes = new LinkedHashSet<>();
    Set<String> resourceIds = new LinkedHashSet<>();
    for (JsonNode resource : finding.path("Resources")) {
      if (text(resource, "Type") != null) {
        resourceTypes.add(text(resource, "Type"));
      }
      if (text(resource, "Id") != null) {
        resourceIds.add(text(resource, "Id"));
      }
    }
    String workflow = text(finding.path("Workflow"), "Status");
    doc.aws("securityhub", "severity_label", label)
        .aws("securityhub", "compliance_status", text(finding.path("Compliance"), "Status"))
        .aws("securityhub", "product_name", productName)
        .aws("securityhub", "generator_id", text(finding, "GeneratorId"))
        .aws("securityhub", "control_id", controlId(finding, productFields))
        .aws("securityhub", "standards_arn", standardsArn(finding, productFields))
        .aws(
            "securityhub",
            "workflow_status",
            workflow != null ? workflow : text(finding, "WorkflowState"))
        .aws("securityhub", "record_state", text(finding, "RecordState"))
        .aws(
            "securityhub",
            "resource_types",
            resourceTypes.isEmpty() ? null : List.copyOf(resourceTypes))
        .aws(
            "securityhub", "resource_ids", resourceIds.isEmpty() ? null : List.copyOf(resourceIds));
    context.emit(
        LogType.SECURITYHUB,
        context.ids().natural(LogType.SECURITYHUB, id, timeText),
        context.ids().natural(LogType.SECURITYHUB, productArn, id),
        time);
  }

  /**
   * The time of this version of the finding record: {@code ProcessedAt}, when Security Hub
   * processed it, where that parses; else the finding's {@code UpdatedAt} (or {@code CreatedAt}).
   * Not {@code UpdatedAt} alone: an analyst's workflow change (BatchUpdateFindings: resolved,
   * suppressed) leaves {@code UpdatedAt} as it was
   * (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchUpdateFindings.html), so
   * timed by it a suppression made today would overwrite the finding's earlier version in the
   * history and be dated days back, outside every scheduled rule's window. This one time is the
   * document's {@code @timestamp}, part of its history id and its latest-state version.
   */
  static String versionTime(JsonNode finding, String updatedOrCreated) {
    String processed = text(finding, "ProcessedAt");
    return Support.instant(processed) != null ? processed : updatedOrCreated;
  }

  /** Security Hub's severity label for a normalized severity (0–100). */
  static String severityLabel(int normalized) {
    if (normalized <= 0) {
      return "INFORMATIONAL";
    }
    if (normalized < 40) {
      return "LOW";
    }
    if (normalized < 70) {
      return "MEDIUM";
    }
    if (normalized < 90) {
      return "HIGH";
    }
    return "CRITICAL";
  }

  /** The normalized severity Security Hub assigns to a label given without one. */
  static Integer normalizedSeverity(String label) {
    return switch (label.toUpperCase(Locale.ROOT)) {
      case "INFORMATIONAL" -> 0;
      case "LOW" -> 1;
      case "MEDIUM" -> 40;
      case "HIGH" -> 70;
      case "CRITICAL" -> 90;
      default -> null;
    };
  }

  /**
   * The product: {@code ProductName}, else Security Hub's {@code aws/securityhub/ProductName}, else
   * the last part of the product ARN ({@code product/aws/guardduty}).
   */
  static String productName(JsonNode finding, Arn product) {
    String name = text(finding, "ProductName");
    if (name == null) {
      name = text(finding.path("ProductFields"), "aws/securityhub/ProductName");
    }
    if (name == null && product != null) {
      String resource = product.resource();
      name = resource.substring(resource.lastIndexOf('/') + 1);
    }
    return name;
  }

  /**
   * The control a compliance finding is about: the consolidated {@code SecurityControlId}, else the
   * standard's {@code ControlId} or CIS {@code RuleId}, else the end of {@code
   * StandardsControlArn}.
   */
  static String controlId(JsonNode finding, JsonNode productFields) {
    String id = text(finding.path("Compliance"), "SecurityControlId");
    if (id == null) {
      id = text(productFields, "ControlId");
    }
    if (id == null) {
      id = text(productFields, "RuleId");
    }
    if (id == null) {
      String arn = text(productFields, "StandardsControlArn");
      if (arn != null) {
        id = arn.substring(arn.lastIndexOf('/') + 1);
      }
    }
    return id;
  }

  static String standardsArn(JsonNode finding, JsonNode productFields) {
    String arn = text(productFields, "StandardsArn");
    if (arn == null) {
      arn = text(productFields, "StandardsGuideArn");
    }
    if (arn == null) {
      arn = text(finding.path("Compliance").path("AssociatedStandards").path(0), "StandardsId");
    }
    return arn;
  }
}
