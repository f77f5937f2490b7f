package dev.vigil.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTypeTest {
  @Test
  void findsTypeByIdIgnoringCaseAndSpace() {
    assertThat(LogType.fromId(" VpcFlow ")).contains(LogType.VPCFLOW);
  }

  @Test
  void unknownIdIsEmptyNotAnError() {
    assertThat(LogType.fromId("syslog")).isEmpty();
    assertThat(LogType.fromId(null)).isEmpty();
  }
}
