package dev.vigil.core.parse;

import dev.vigil.core.LogType;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sub-fields of free-form ({@code flat_object}) blocks that the parsers also write as regular,
 * aggregatable fields. OpenSearch 2.19 answers a terms aggregation on a {@code flat_object}
 * sub-path with no buckets (at times with garbage keys) and no error, so everything a user can
 * aggregate — a Dashboard's {@code splitBy} and metric field, a rule's {@code groupBy}, a
 * documented query — is refused on such a path with {@link #refusal}, which names the promoted
 * field to use.
 */
public final class PromotedFields {
  /**
   * CloudTrail {@code requestParameters.<name>} written as {@code aws.request.<name>}: the names
   * shipped rules group by and dashboards aggregate, the Sigma pack's most used, and {@code
   * attribute} (snapshot/image sharing, Sigma) and {@code groupId} (security-group changes).
   */
  public static final Set<String> CLOUDTRAIL_REQUEST =
      Set.of(
          "bucketName",
          "instanceType",
          "roleName",
          "userName",
          "groupName",
          "policyArn",
          "policyName",
          "keyId",
          "functionName",
          "secretId",
          "name",
          "logGroupName",
          "detectorId",
          "ruleName",
          "trailName",
          "roleArn",
          "attribute",
          "groupId");

  /** Fixed promotions of the findings' blocks (see the GuardDuty and Security Hub parsers). */
  private static final Map<LogType, Map<String, String>> FIXED =
      Map.of(
          LogType.GUARDDUTY,
          Map.of(
              "resource.resourceType", "aws.guardduty.resource_type",
              "resource.instanceDetails.instanceId", "aws.guardduty.instance_id",
              "service.action.actionType", "aws.guardduty.action_type"),
          LogType.SECURITYHUB,
          Map.of(
              "ProductFields.ControlId", "aws.securityhub.control_id",
              "ProductFields.RuleId", "aws.securityhub.control_id",
              "ProductFields.StandardsArn", "aws.securityhub.standards_arn",
              "ProductFields.StandardsGuideArn", "aws.securityhub.standards_arn"));

  private PromotedFields() {}

  /** The regular field holding the value of {@code flatPath} in documents of {@code type}. */
  public static Optional<String> of(LogType type, String flatPath) {
    if (type == LogType.CLOUDTRAIL && flatPath.startsWith("requestParameters.")) {
      String name = flatPath.substring("requestParameters.".length());
      return CLOUDTRAIL_REQUEST.contains(name)
          ? Optional.of("aws.request." + name)
          : Optional.empty();
    }
    return Optional.ofNullable(FIXED.getOrDefault(type, Map.of()).get(flatPath));
  }

  /**
   * Why {@code field} (inside the flat_object field {@code flatRoot} of {@code type}'s documents)
   * cannot be aggregated, and what to use instead.
   */
  public static String refusal(LogType type, String field, String flatRoot) {
    String why =
        field.equals(flatRoot)
            ? field + " is a flat_object field, which OpenSearch cannot aggregate"
            : field
                + " is inside the flat_object field "
                + flatRoot
                + ", which OpenSearch 2.19 cannot aggregate (no buckets, no error)";
    return why
        + of(type, field)
            .map(promoted -> "; use the promoted field " + promoted)
            .orElse(
                "; use a mapped field (no sub-field of "
                    + flatRoot
                    + " is promoted for this path: see docs/log-types/"
                    + type.id()
                    + ".md)");
  }
}
