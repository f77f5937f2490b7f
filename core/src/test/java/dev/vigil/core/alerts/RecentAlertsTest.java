package dev.vigil.core.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RecentAlertsTest {
  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

  @Test
  void aKeyIsClaimedOnceUntilItsHoldEndsOrItIsForgotten() {
    AtomicInteger suppressed = new AtomicInteger();
    RecentAlerts recent = new RecentAlerts(Duration.ofSeconds(60), suppressed::incrementAndGet);
    RecentAlerts.Key mallory = key("r", "mallory", "10.0.0.1");

    assertThat(recent.claim(mallory, T0)).isTrue();
    assertThat(recent.claim(key("r", "mallory", "10.0.0.1"), T0.plusSeconds(59))).isFalse();
    assertThat(recent.claim(key("r", "mallory", "10.0.0.2"), T0)).isTrue(); // another value
    assertThat(recent.claim(key("other", "mallory", "10.0.0.1"), T0)).isTrue(); // another rule
    assertThat(suppressed).hasValue(1);

    assertThat(recent.claim(key("r", "mallory", "10.0.0.1"), T0.plusSeconds(60))).isTrue();
    assertThat(recent.claim(key("r", "mallory", "10.0.0.1"), T0.plusSeconds(61))).isFalse();
    recent.forget(key("r", "mallory", "10.0.0.1"));
    assertThat(recent.claim(key("r", "mallory", "10.0.0.1"), T0.plusSeconds(62))).isTrue();
  }

  @Test
  void aKeyWhoseAlertIsOpenIsHeldLongerThanAClaimHoldsIt() {
    RecentAlerts recent = new RecentAlerts(Duration.ofSeconds(60));
    assertThat(recent.claim(key("r", "mallory"), T0)).isTrue();
    recent.holdUntil(key("r", "mallory"), T0.plusSeconds(300));
    recent.holdUntil(key("r", "mallory"), T0.plusSeconds(30)); // never shortened
    assertThat(recent.claim(key("r", "mallory"), T0.plusSeconds(120))).isFalse();
    assertThat(recent.claim(key("r", "mallory"), T0.plusSeconds(299))).isFalse();
    assertThat(recent.claim(key("r", "mallory"), T0.plusSeconds(300))).isTrue();
    // A key no claim holds (purged meanwhile) is held too.
    recent.holdUntil(key("r", "eve"), T0.plusSeconds(400));
    assertThat(recent.claim(key("r", "eve"), T0.plusSeconds(399))).isFalse();
  }

  @Test
  void theKeyOfAnAlertIsItsRulesKeyWhateverTheOrderOfItsFields() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("userIdentity.arn", "mallory");
    values.put("sourceIPAddress", "10.0.0.1");
    Alert alert = new Alert();
    alert.rule.namespace = "vigil";
    alert.rule.name = "r";
    alert.key = values;

    // Fields sorted by name: sourceIPAddress before userIdentity.arn.
    assertThat(RecentAlerts.key(alert)).isEqualTo(key("vigil/r", "10.0.0.1", "mallory"));
    assertThat(RecentAlerts.key(alert)).isNotEqualTo(key("vigil/r", "mallory", "10.0.0.1"));
    assertThat(RecentAlerts.key(alert)).isNotEqualTo(key("vigil/r2", "10.0.0.1", "mallory"));
  }

  private static RecentAlerts.Key key(String rule, String... values) {
    return new RecentAlerts.Key(rule, values);
  }
}
