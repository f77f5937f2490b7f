package dev.vigil.operator.logsource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.OpenSearchConnectionSpec;
import dev.vigil.core.parse.IndexTemplates;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The API server checks an OpenSearchConnection's {@code spec.indices} with the CRD's patterns (the
 * api module cannot see core); the ingester checks the same values with {@link IndexTemplates}.
 * Both must accept exactly the same values, or a connection the API server admits would leave its
 * ingesters refusing their configuration.
 */
class IndexSettingsPatternsTest {
  @Test
  void theCrdAndTheIngesterAcceptTheSameReplicas() {
    agree(
        OpenSearchConnectionSpec.Indices.REPLICAS,
        IndexTemplates.REPLICAS,
        List.of("0", "1", "12", "0-1", "1-all", "2-5", "1000", "-1", "1-", "all", "0-1-2", " 1"));
  }

  @Test
  void theCrdAndTheIngesterAcceptTheSameRefreshIntervals() {
    agree(
        OpenSearchConnectionSpec.Indices.REFRESH_INTERVAL,
        IndexTemplates.REFRESH_INTERVAL,
        List.of("1s", "500ms", "5m", "1h", "-1", "1", "1d", "1.5s", "-2", "s", "1S", "1234567s"));
  }

  private static void agree(String crd, Pattern ingester, List<String> values) {
    Pattern apiServer = Pattern.compile(crd);
    for (String value : values) {
      assertThat(apiServer.matcher(value).find())
          .as("'%s': CRD %s, ingester %s", value, crd, ingester)
          .isEqualTo(ingester.matcher(value).matches());
    }
  }
}
