package dev.vigil.operator.logsource;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.v1alpha1.LogSourceSpec;
import dev.vigil.api.v1alpha1.LogTypeName;
import org.junit.jupiter.api.Test;

class FindingsRouteTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void securityHubPatternFiltersByLabelFromTheMinimumUp() throws Exception {
    var pattern =
        JSON.readTree(FindingsRoute.pattern(LogTypeName.securityhub, LogSourceSpec.Severity.HIGH));
    assertThat(pattern.path("source").get(0).asText()).isEqualTo("aws.securityhub");
    assertThat(pattern.path("detail-type").get(0).asText())
        .isEqualTo("Security Hub Findings - Imported");
    assertThat(pattern.at("/detail/findings/Severity/Label").toString())
        .isEqualTo("[\"HIGH\",\"CRITICAL\"]");
  }

  @Test
  void guardDutyPatternUsesNumericSeverity() throws Exception {
    var pattern =
        JSON.readTree(FindingsRoute.pattern(LogTypeName.guardduty, LogSourceSpec.Severity.MEDIUM));
    assertThat(pattern.path("detail-type").get(0).asText()).isEqualTo("GuardDuty Finding");
    assertThat(pattern.at("/detail/severity/0/numeric").toString()).isEqualTo("[\">=\",4]");
    assertThat(JSON.readTree(FindingsRoute.pattern(LogTypeName.guardduty, null)).has("detail"))
        .isFalse();
  }
}
