package dev.vigil.operator.logsource;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;

class LifecycleMergeTest {
  private static final String ID = "vigil-logs-trail";
  private static final LifecycleRule FOREIGN =
      LifecycleRule.builder()
          .id("tmp-cleanup")
          .status(ExpirationStatus.ENABLED)
          .filter(f -> f.prefix("tmp/"))
          .expiration(e -> e.days(1))
          .build();

  @Test
  void addsUpdatesAndRemovesVigilsRuleKeepingOthers() {
    LifecycleRule mine = LifecycleMerge.desired(ID, "AWSLogs/", 90, 2555);
    var added = LifecycleMerge.merge(List.of(FOREIGN), mine, ID);
    assertThat(((ConfigChange.Write<List<LifecycleRule>>) added).configuration())
        .containsExactly(FOREIGN, mine);

    List<LifecycleRule> current = List.of(FOREIGN, mine);
    assertThat(LifecycleMerge.merge(current, mine, ID)).isInstanceOf(ConfigChange.Unchanged.class);

    LifecycleRule longer = LifecycleMerge.desired(ID, "AWSLogs/", 180, 2555);
    assertThat(
            ((ConfigChange.Write<List<LifecycleRule>>) LifecycleMerge.merge(current, longer, ID))
                .configuration())
        .containsExactly(FOREIGN, longer);

    assertThat(
            ((ConfigChange.Write<List<LifecycleRule>>) LifecycleMerge.merge(current, null, ID))
                .configuration())
        .containsExactly(FOREIGN);
    assertThat(LifecycleMerge.merge(List.of(FOREIGN), null, ID))
        .isInstanceOf(ConfigChange.Unchanged.class);
  }

  @Test
  void noArchiveSettingsMeansNoRule() {
    assertThat(LifecycleMerge.desired(ID, "AWSLogs/", null, null)).isNull();
    LifecycleRule expireOnly = LifecycleMerge.desired(ID, "", null, 30);
    assertThat(expireOnly.transitions()).isEmpty();
    assertThat(expireOnly.expiration().days()).isEqualTo(30);
  }
}
