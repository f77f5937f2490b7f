package dev.vigil.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.LogType;
import org.junit.jupiter.api.Test;

class JsonTypeTemplatesTest {
  private final IndexTemplates templates = new IndexTemplates(IndexNaming.defaults());

  private JsonNode properties(LogType type) {
    return templates.indexTemplate(type).at("/template/mappings/properties");
  }

  @Test
  void logIndicesGetAReplicaOnceThereIsASecondDataNodeByDefaultOrTheCountGiven() {
    JsonNode settings = templates.indexTemplate(LogType.CLOUDTRAIL).at("/template/settings");
    assertThat(settings.path("index.auto_expand_replicas").asText()).isEqualTo("0-1");
    assertThat(settings.has("index.number_of_replicas")).isFalse();

    JsonNode two =
        new IndexTemplates(IndexNaming.defaults(), "2")
            .indexTemplate(LogType.WAF)
            .at("/template/settings");
    assertThat(two.path("index.number_of_replicas").asInt()).isEqualTo(2);
    assertThat(two.has("index.auto_expand_replicas")).isFalse();
    assertThat(
            new IndexTemplates(IndexNaming.defaults(), "1-all")
                .indexTemplate(LogType.WAF)
                .at("/template/settings/index.auto_expand_replicas")
                .asText())
        .isEqualTo("1-all");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new IndexTemplates(IndexNaming.defaults(), "some"))
        .hasMessageContaining("replicas must be a count or a range");
  }

  @Test
  void eachLogTypeHasItsOwnRefreshIntervalUnlessOneIsGivenForEveryLogIndex() {
    String cloudTrail =
        templates.indexTemplate(LogType.CLOUDTRAIL).at("/template/settings").path(REFRESH).asText();
    String waf =
        templates.indexTemplate(LogType.WAF).at("/template/settings").path(REFRESH).asText();
    assertThat(cloudTrail).isEqualTo(IndexTemplates.refreshInterval(LogType.CLOUDTRAIL));
    assertThat(waf).isEqualTo(IndexTemplates.refreshInterval(LogType.WAF)).isNotEqualTo("1s");

    IndexTemplates oneSecond = new IndexTemplates(IndexNaming.defaults(), "0-1", "1s");
    for (LogType type : LogType.values()) {
      assertThat(oneSecond.indexTemplate(type).at("/template/settings").path(REFRESH).asText())
          .as("%s", type)
          .isEqualTo("1s");
    }
    assertThat(
            oneSecond
                .latestIndexTemplate(LogType.SECURITYHUB)
                .at("/template/settings")
                .path(REFRESH)
                .asText())
        .isEqualTo("1s");
    for (String bad : new String[] {"1", "soon", "1.5s", "-2", "1d"}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> new IndexTemplates(IndexNaming.defaults(), "0-1", bad))
          .as(bad)
          .hasMessageContaining("refresh interval must be a duration");
    }
  }

  private static final String REFRESH = "index.refresh_interval";

  @Test
  void aFindingsLatestStateIndexHasItsTypesMappingsOutsideTheTypesPattern() {
    for (LogType type : new LogType[] {LogType.SECURITYHUB, LogType.GUARDDUTY}) {
      JsonNode latest = templates.latestIndexTemplate(type);
      assertThat(latest.at("/index_patterns/0").asText()).isEqualTo("vigil-latest-" + type.id());
      assertThat(latest.at("/template/mappings"))
          .isEqualTo(templates.indexTemplate(type).at("/template/mappings"));
      assertThat(templates.latestTemplateName(type)).isNotEqualTo(templates.templateName(type));
      assertThat(IndexNaming.defaults().latest(type)).doesNotStartWith("vigil-" + type.id() + "-");
    }
    assertThat(LogType.CLOUDTRAIL.keepsLatestState()).isFalse();
  }

  @Test
  void typedFieldsOfLogsJsonKeepTheValueAsWrittenInARawKeyword() {
    JsonNode cloudTrail = properties(LogType.CLOUDTRAIL);
    assertThat(cloudTrail.at("/readOnly/fields/raw/type").asText()).isEqualTo("keyword");
    assertThat(
            cloudTrail
                .at("/userIdentity/properties/sessionContext/properties/attributes/properties")
                .at("/creationDate/fields/raw/doc_values")
                .asBoolean(true))
        .isFalse();
    assertThat(cloudTrail.at("/eventName/fields").isMissingNode())
        .as("keywords need none")
        .isTrue();
    // Text formats type their values in the parser: no raw copies there.
    assertThat(properties(LogType.VPCFLOW).toString()).doesNotContain("\"raw\"");
    assertThat(dev.vigil.core.rules.FieldTypes.of(LogType.CLOUDTRAIL).type("readOnly.raw").kind())
        .isEqualTo(dev.vigil.core.rules.FieldTypes.Kind.KEYWORD);
  }

  @Test
  void blobsWhoseShapeVariesAreFlatObjectsAndPromotedFieldsKeywords() {
    JsonNode waf = properties(LogType.WAF);
    assertThat(waf.at("/ruleGroupList/type").asText()).isEqualTo("flat_object");
    assertThat(waf.at("/httpRequest/properties/clientIp/type").asText()).isEqualTo("ip");
    assertThat(waf.at("/timestamp/format").asText()).isEqualTo("epoch_millis");
    assertThat(waf.at("/aws/properties/waf/properties/webacl_name/type").asText())
        .isEqualTo("keyword");

    JsonNode securityHub = properties(LogType.SECURITYHUB);
    assertThat(securityHub.at("/Resources/properties/Details/type").asText())
        .isEqualTo("flat_object");
    assertThat(securityHub.at("/ProductFields/type").asText()).isEqualTo("flat_object");
    assertThat(securityHub.at("/aws/properties/securityhub/properties/control_id/type").asText())
        .isEqualTo("keyword");

    JsonNode guardDuty = properties(LogType.GUARDDUTY);
    assertThat(guardDuty.at("/resource/type").asText()).isEqualTo("flat_object");
    assertThat(guardDuty.at("/service/properties/additionalInfo/type").asText())
        .isEqualTo("flat_object");
    assertThat(guardDuty.at("/aws/properties/guardduty/properties/resource_type/type").asText())
        .isEqualTo("keyword");

    JsonNode cloudWatch = properties(LogType.CLOUDWATCH);
    assertThat(cloudWatch.at("/json/type").asText()).isEqualTo("flat_object");
    assertThat(cloudWatch.at("/message/type").asText()).isEqualTo("text");
  }

  @Test
  void everyDocumentMayCarryTheCloudWatchEnvelope() {
    assertThat(
            templates
                .componentTemplate()
                .at(
                    "/template/mappings/properties/vigil/properties/cloudwatch/properties/logGroup/type")
                .asText())
        .isEqualTo("keyword");
  }
}
