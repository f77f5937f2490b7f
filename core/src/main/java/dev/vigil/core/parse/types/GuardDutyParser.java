package dev.vigil.core.parse.types;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.DocumentBuilder;
import dev.vigil.core.parse.JsonCopy;
import dev.vigil.core.parse.ParseContext;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Amazon GuardDuty findings in GuardDuty's own JSON (schema 2.0): a bare finding, an array of
 * findings (or {@code {"findings":[…]}}), newline-delimited findings as GuardDuty exports them to
 * S3, or an EventBridge event ({@code detail-type} "GuardDuty Finding") with the finding in {@code
 * detail}. One document per finding, indexed by {@code updatedAt}; its id hashes {@code id} with
 * {@code updatedAt}, so each update of a finding is a document of its own.
 */
public final class GuardDutyParser extends FindingsParser {
  @Override
  public LogType type() {
    return LogType.GUARDDUTY;
  }

  @Override
  void object(ObjectNode root, ParseContext context, long record, long offset) throws IOException {
    if (root.has("detail") || root.has("detail-type")) {
      JsonNode detail = root.get("detail");
      String detailType = text(root, "detail-type");
      if (detail == null || !detail.isObject()) {
        context.reject(
            record,
            offset,
            (detail == null
                    ? "EventBridge event has no detail"
                    : "EventBridge event's detail must be a finding object, found " + kind(detail))
                + (detailType != null ? " (detail-type '" + detailType + "')" : ""));
        return;
      }
      if (detailType != null && !detailType.equals("GuardDuty Finding")) {
        context.reject(
            record,
            offset,
            "EventBridge event of detail-type '" + detailType + "' is not a GuardDuty finding");
        return;
      }
      finding((ObjectNode) detail, context, record, offset);
      return;
    }
    if (!rejectedMisshapedFindingsList(root, context, record, offset)) {
      finding(root, context, record, offset);
    }
  }

  @Override
  void finding(ObjectNode finding, ParseContext context, long record, long offset)
      throws IOException {
    List<String> problems = textProblems(finding, "id", "type");
    String timeField = finding.has("updatedAt") ? "updatedAt" : "createdAt";
    String timeText = text(finding, timeField);
    Instant time = Support.instant(timeText);
    if (!finding.has("updatedAt") && !finding.has("createdAt")) {
      problems.add("updatedAt (or createdAt) is missing");
    } else if (time == null) {
      problems.add(
          timeField
              + " must be an ISO-8601 time, found "
              + (timeText != null ? "'" + timeText + "'" : kind(finding.get(timeField))));
    }
    JsonNode severityNode = finding.get("severity");
    if (severityNode != null && !severityNode.isNumber()) {
      problems.add("severity must be a number, found " + kind(severityNode));
    }
    if (rejectedInvalid(finding, "GuardDuty", "id", problems, context, record, offset)) {
      return;
    }
    String id = text(finding, "id");
    String type = text(finding, "type");
    DocumentBuilder doc = context.builder();
    writeFinding(doc, finding);

    Double severity = severityNode != null ? severityNode.doubleValue() : null;
    JsonNode action = finding.path("service").path("action");
    JsonNode resource = finding.path("resource");
    doc.timestamp(time, Support.utcText(timeText))
        .event("kind", "alert")
        .event("id", id)
        .event("action", type)
        .event("provider", "guardduty")
        .event("severity", severity != null ? Math.round(severity * 10) : null)
        .account(text(finding, "accountId"))
        .region(text(finding, "region"))
        .user(text(resource.path("accessKeyDetails"), "userName"));
    remoteEndpoints(doc, action);
    doc.aws("guardduty", "type", type)
        .aws(
            "guardduty",
            "threat_purpose",
            type.contains(":") ? type.substring(0, type.indexOf(':')) : null)
        .aws("guardduty", "severity", severity)
        .aws("guardduty", "severity_label", severity != null ? severityLabel(severity) : null)
        .aws("guardduty", "resource_type", text(resource, "resourceType"))
        .aws("guardduty", "action_type", text(action, "actionType"))
        .aws("guardduty", "instance_id", text(resource.path("instanceDetails"), "instanceId"));
    // A finding id is unique within its detector, which is one per account and region.
    String findingId =
        context
            .ids()
            .natural(
                LogType.GUARDDUTY,
                Objects.requireNonNullElse(text(finding, "accountId"), ""),
                Objects.requireNonNullElse(text(finding, "region"), ""),
                id);
    context.emit(
        LogType.GUARDDUTY, context.ids().natural(LogType.GUARDDUTY, id, timeText), findingId, time);
  }

  /** GuardDuty's severity bands: 1–3.9 low, 4–6.9 medium, 7–8.9 high, 9 and above critical. */
  static String severityLabel(double severity) {
    if (severity < 4) {
      return "LOW";
    }
    if (severity < 7) {
      return "MEDIUM";
    }
    if (severity < 9) {
      return "HIGH";
    }
    return "CRITICAL";
  }

  /**
   * The remote party of the action ({@code service.action.*.remoteIpDetails}, also inside {@code
   * portProbeDetails[]}): {@code source.ip} and its country, except for an outbound network
   * connection, where the remote host is the destination. Every remote address goes to {@code
   * related.ip}.
   */
  static void remoteEndpoints(DocumentBuilder doc, JsonNode action) {
    List<JsonNode> remotes = new ArrayList<>();
    collectRemotes(action, remotes, 0);
    if (remotes.isEmpty()) {
      return;
    }
    JsonNode connection = action.path("networkConnectionAction");
    boolean outbound = "OUTBOUND".equals(text(connection, "connectionDirection"));
    JsonNode portNode = connection.path("remotePortDetails").path("port");
    Integer port = portNode.isInt() ? portNode.intValue() : null;
    JsonNode first = remotes.get(0);
    String ip = address(first);
    if (ip != null) {
      if (outbound) {
        doc.destination(ip, port);
      } else {
        doc.source(ip, connection.isMissingNode() ? null : port)
            .sourceGeo(null, text(first.path("country"), "countryName"));
      }
    }
    for (JsonNode remote : remotes) {
      doc.relatedIp(address(remote));
    }
  }

  private static String address(JsonNode remote) {
    String ip = text(remote, "ipAddressV4");
    if (ip == null) {
      ip = text(remote, "ipAddressV6");
    }
    return JsonCopy.looksLikeIp(ip) ? ip : null;
  }

  private static void collectRemotes(JsonNode node, List<JsonNode> into, int depth) {
    if (depth > 4) {
      return;
    }
    if (node.isArray()) {
      for (JsonNode element : node) {
        collectRemotes(element, into, depth + 1);
      }
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().equals("remoteIpDetails") && field.getValue().isObject()) {
        into.add(field.getValue());
      } else if (field.getValue().isContainerNode()) {
        collectRemotes(field.getValue(), into, depth + 1);
      }
    }
  }
}
