package dev.vigil.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebhookReceiverTest {
  @Test
  void anAlertDeliveryIsShownByRuleSeverityAndState() {
    assertThat(
            WebhookReceiver.describe(
                "{\"alert\":{\"rule\":{\"namespace\":\"vigil-demo\",\"name\":\"root-account-usage\"},"
                    + "\"severity\":1,\"state\":\"ACTIVE\"}}"))
        .isEqualTo("alert from rule root-account-usage, severity 1, state ACTIVE");
  }

  @Test
  void anythingElseIsShownAsItCameCutShort() {
    assertThat(WebhookReceiver.describe("hello\n  world")).isEqualTo("hello world");
    assertThat(WebhookReceiver.describe("x".repeat(300))).hasSize(201).endsWith("…");
  }
}
