package dev.vigil.core.parse.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimesTest {
  @Test
  void isoTimesWithFractionsZoneOrNoZone() {
    assertThat(Times.iso("2022-07-05T04:47:50.273035Z"))
        .isEqualTo(Instant.parse("2022-07-05T04:47:50.273035Z"));
    assertThat(Times.iso("2022-10-13T21:02:36Z")).isEqualTo(Instant.parse("2022-10-13T21:02:36Z"));
    assertThat(Times.iso("2017-11-20T22:05:36")).isEqualTo(Instant.parse("2017-11-20T22:05:36Z"));
    assertThat(Times.iso("2022-07-05T04:47:50.123456789123Z"))
        .isEqualTo(Instant.parse("2022-07-05T04:47:50.123456789Z"));
    assertThat(Times.iso("2022-07-05T06:47:50+02:00"))
        .isEqualTo(Instant.parse("2022-07-05T04:47:50Z"));
  }

  @Test
  void isoTimesReExportedWithASpaceForTheT() {
    assertThat(Times.iso("2022-07-05 04:47:50.273"))
        .isEqualTo(Instant.parse("2022-07-05T04:47:50.273Z"));
    assertThat(Times.iso("2022-07-05 04:47:50Z")).isEqualTo(Instant.parse("2022-07-05T04:47:50Z"));
    assertThat(Times.iso("2022-07-05 06:47:50+02:00"))
        .isEqualTo(Instant.parse("2022-07-05T04:47:50Z"));
  }

  @Test
  void epochMillisOrIsoTakesEitherAndNothingElse() {
    assertThat(Times.epochMillisOrIso("1795780800046"))
        .isEqualTo(Instant.parse("2026-11-27T12:00:00.046Z"));
    assertThat(Times.epochMillisOrIso("2026-11-27T12:00:00.046Z"))
        .isEqualTo(Instant.parse("2026-11-27T12:00:00.046Z"));
    assertThat(Times.epochMillisOrIso("2026-11-27 12:00:00.046"))
        .isEqualTo(Instant.parse("2026-11-27T12:00:00.046Z"));
    assertThat(Times.epochMillisOrIso("1795780800.046")).isNull();
    assertThat(Times.epochMillisOrIso("noon")).isNull();
    assertThat(Times.epochMillisOrIso("")).isNull();
  }

  @Test
  void onlyCanonicalUtcTextStandsAsTimestampText() {
    assertThat(Times.utcText("2026-11-27T12:00:00.046Z")).isEqualTo("2026-11-27T12:00:00.046Z");
    assertThat(Times.utcText("2026-11-27 12:00:00.046Z")).isNull();
    assertThat(Times.utcText("2026-11-27T12:00:00+01:00")).isNull();
    assertThat(Times.utcText(null)).isNull();
  }

  @Test
  void invalidIsoTimesAreNull() {
    assertThat(Times.iso("2022-02-30T00:00:00Z")).isNull();
    assertThat(Times.iso("2022-07-05T24:00:00Z")).isNull();
    assertThat(Times.iso("2022-07-05_04:47:50Z")).isNull();
    assertThat(Times.iso("2022-07-05 04:47")).isNull();
    assertThat(Times.iso("2022-07-05T04:47:50.Z")).isNull();
    assertThat(Times.iso("2022-07-05T04:47:50Zjunk")).isNull();
    assertThat(Times.iso("yesterday")).isNull();
    assertThat(Times.iso(null)).isNull();
  }

  @Test
  void epochSecondsOutsideYears1970To9999AreNull() {
    assertThat(Times.epochSeconds(1418530010L)).isEqualTo(Instant.parse("2014-12-14T04:06:50Z"));
    assertThat(Times.epochSeconds(1418530010000L)).isNull();
    assertThat(Times.epochSeconds(-1)).isNull();
  }

  @Test
  void commonLogFormatTimesWithOffsets() {
    assertThat(Times.commonLog("06/Feb/2019:00:00:38 +0000"))
        .isEqualTo(Instant.parse("2019-02-06T00:00:38Z"));
    assertThat(Times.commonLog("31/Dec/2021:23:30:00 -0130"))
        .isEqualTo(Instant.parse("2022-01-01T01:00:00Z"));
  }

  @Test
  void invalidCommonLogTimesAreNull() {
    assertThat(Times.commonLog("31/Jan/2023:13:55:60 +0000")).isNull();
    assertThat(Times.commonLog("31/Foo/2023:13:55:00 +0000")).isNull();
    assertThat(Times.commonLog("eFe/Feb/2019:00:00:38 +0000")).isNull();
    assertThat(Times.commonLog("06/Feb/2019:00:00:38")).isNull();
  }
}
