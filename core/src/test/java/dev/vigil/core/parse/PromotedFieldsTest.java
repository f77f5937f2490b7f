package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.core.LogType;
import dev.vigil.core.dashboards.DashboardDefinition;
import dev.vigil.core.dashboards.DashboardException;
import dev.vigil.core.rules.FieldTypes;
import dev.vigil.core.rules.RuleCompiler;
import dev.vigil.core.rules.RuleException;
import dev.vigil.core.rules.RuleSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every place a user can ask for an aggregation refuses a flat_object sub-path (OpenSearch 2.19
 * answers it with no buckets and no error) and names the promoted field to use instead.
 */
class PromotedFieldsTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  private static DashboardDefinition dashboard(String pattern, String splitBy, String metric)
      throws Exception {
    return DashboardDefinition.fromSpec(
        YAML.readTree(
            String.join(
                "\n",
                "title: t",
                "indexPatterns:",
                "  - {name: p, pattern: '" + pattern + "'}",
                "searches:",
                "  - {name: s, title: s, indexPattern: p}",
                "panels:",
                "  - {title: a, type: Pie, search: s, splitBy: " + splitBy + "}",
                "  - {title: b, type: Metric, indexPattern: p, metric: {type: Max, field: "
                    + metric
                    + "}}",
                "")));
  }

  @Test
  void aDashboardSplitOnAFlatObjectPathNamesThePromotedField() {
    assertThatThrownBy(
            () -> dashboard("vigil-cloudtrail-*", "requestParameters.bucketName", "readOnly"))
        .isInstanceOf(DashboardException.class)
        .hasMessageContaining("spec.panels[0].splitBy: requestParameters.bucketName")
        .hasMessageContaining("flat_object field requestParameters")
        .hasMessageContaining("use the promoted field aws.request.bucketName");
  }

  @Test
  void aDashboardMetricOnAFlatObjectPathWithoutPromotionSaysSo() {
    assertThatThrownBy(
            () -> dashboard("vigil-*", "eventName", "responseElements.credentials.expiration"))
        .isInstanceOf(DashboardException.class)
        .hasMessageContaining("spec.panels[1].metric.field")
        .hasMessageContaining("no sub-field of responseElements is promoted");
    assertThatThrownBy(() -> dashboard("vigil-waf-*", "ruleGroupList.ruleGroupId", "bytes"))
        .hasMessageContaining("flat_object field ruleGroupList");
  }

  @Test
  void aDashboardAggregationOnAFieldWithoutDocValuesOrStoredOnlyIsRefused() {
    assertThatThrownBy(() -> dashboard("vigil-cloudtrail-*", "eventID", "readOnly"))
        .isInstanceOf(DashboardException.class)
        .hasMessageStartingWith("spec.panels[0].splitBy: eventID has no doc values in cloudtrail");
    assertThatThrownBy(() -> dashboard("vigil-*", "eventName", "httpRequest.requestId"))
        .isInstanceOf(DashboardException.class)
        .hasMessageStartingWith(
            "spec.panels[1].metric.field: httpRequest.requestId has no doc values in waf");
    assertThatThrownBy(() -> dashboard("vigil-cloudtrail-*", "vpcEndpointId", "readOnly"))
        .isInstanceOf(DashboardException.class)
        .hasMessageStartingWith(
            "spec.panels[0].splitBy: vpcEndpointId is stored only in cloudtrail indices");
  }

  @Test
  void mappedAndPromotedFieldsAreAccepted() throws Exception {
    assertThat(dashboard("vigil-cloudtrail-*", "aws.request.bucketName", "readOnly").panels())
        .hasSize(2);
    // A pattern over VPC Flow Logs only: requestParameters is nobody's flat_object there.
    assertThat(dashboard("vigil-vpcflow-*", "requestParameters.x", "bytes").panels()).hasSize(2);
  }

  @Test
  void aRuleGroupByOnAFlatObjectPathNamesThePromotedField() {
    RuleSource base = RuleSource.query("r", "cloudtrail", "eventName:ModifySnapshotAttribute");
    assertThatThrownBy(
            () ->
                RuleCompiler.defaults()
                    .compile(
                        base.withCondition(
                            new RuleSource.Threshold(
                                1, "1h", List.of("requestParameters.attribute")))))
        .isInstanceOf(RuleException.class)
        .hasMessageContaining("condition.groupBy: requestParameters.attribute")
        .hasMessageContaining("use the promoted field aws.request.attribute");
    assertThat(PromotedFields.of(LogType.GUARDDUTY, "resource.resourceType"))
        .contains("aws.guardduty.resource_type");
  }

  @Test
  void noDocumentedAnalystQueryAggregatesAFlatObjectPath() {
    List<String> problems = new ArrayList<>();
    for (LayoutQueries.Query q : LayoutQueries.ANALYST) {
      LogType type =
          LogType.fromId(q.indexPattern().replaceAll("^vigil-([a-z0-9]+)-.*", "$1")).orElseThrow();
      for (JsonNode field : q.body().path("aggs").findValues("field")) {
        FieldTypes.Kind kind = FieldTypes.of(type).type(field.asText()).kind();
        if (kind == FieldTypes.Kind.FLAT_SUBPATH || kind == FieldTypes.Kind.FLAT_OBJECT) {
          problems.add(q.name() + ": " + field.asText());
        }
      }
    }
    assertThat(problems).isEmpty();
  }
}
