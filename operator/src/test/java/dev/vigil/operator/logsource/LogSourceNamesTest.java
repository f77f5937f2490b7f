package dev.vigil.operator.logsource;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSourceNamesTest {
  @Test
  void shortNamesAreReadableAndLongOnesStayWithinAwsLimitsAndDistinct() {
    LogSourceNames names = LogSourceNames.of("security", "org.trail");
    assertThat(names.queue()).isEqualTo("vigil-security-org-trail");
    assertThat(names.deadLetterQueue()).isEqualTo("vigil-security-org-trail-dlq");
    assertThat(names.ingester()).isEqualTo("vigil-ingester-org.trail");

    String longName = "a".repeat(100);
    LogSourceNames a = LogSourceNames.of("security", longName);
    LogSourceNames b = LogSourceNames.of("security", longName + "b");
    assertThat(a.deadLetterQueue()).hasSizeLessThanOrEqualTo(LogSourceNames.MAX);
    assertThat(a.ingester()).hasSizeLessThanOrEqualTo(63);
    assertThat(a.queue()).isNotEqualTo(b.queue());
    assertThat(a.ingester()).isNotEqualTo(b.ingester());
  }
}
