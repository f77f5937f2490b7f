package dev.vigil.core.parse.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class KeyInfoTest {
  @Test
  void standardKeyGivesAccountRegionAndDeliveryTimeFromTheFileName() {
    KeyInfo key =
        KeyInfo.of(
            "prefix/AWSLogs/123456789012/vpcflowlogs/eu-west-1/2023/01/28/"
                + "123456789012_vpcflowlogs_eu-west-1_fl-023c6afa025ee5a04_20230128T0930Z_3a9dfd9d.log.gz");
    assertThat(key.account()).isEqualTo("123456789012");
    assertThat(key.region()).isEqualTo("eu-west-1");
    assertThat(key.time()).isEqualTo(Instant.parse("2023-01-28T09:30:00Z"));
  }

  @Test
  void hiveCompatibleKeyIsUnderstoodToo() {
    KeyInfo key =
        KeyInfo.of(
            "AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-gov-west-1/"
                + "year=2024/month=03/day=09/hour=17/x.log.gz");
    assertThat(key.account()).isEqualTo("123456789012");
    assertThat(key.region()).isEqualTo("us-gov-west-1");
    assertThat(key.time()).isEqualTo(Instant.parse("2024-03-09T17:00:00Z"));
  }

  @Test
  void vpcIdInTheRegionPositionIsNotTakenForARegion() {
    KeyInfo key =
        KeyInfo.of(
            "AWSLogs/123456789012/vpcdnsquerylogs/vpc-0123456789abcdef0/2022/10/13/x.log.gz");
    assertThat(key.account()).isEqualTo("123456789012");
    assertThat(key.region()).isNull();
    assertThat(key.time()).isEqualTo(Instant.parse("2022-10-13T00:00:00Z"));
  }

  @Test
  void otherKeysCarryNothing() {
    assertThat(KeyInfo.of("some/local/file.log")).isEqualTo(KeyInfo.NONE);
  }
}
