package dev.vigil.operator.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operator.common.AwsCallLimits;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class SigV4IdentityTest {
  private final SigV4Identity identity =
      new SigV4Identity(
          StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIA", "secret")),
          new AwsCallLimits(Duration.ofSeconds(30), Duration.ofSeconds(10)),
          Optional.empty());

  @Test
  void oneAssumedRoleProviderPerRoleAndRegionIsKeptAcrossChecks() {
    String role = "arn:aws:iam::210987654321:role/vigil-domain-access";

    assertThat(identity.role(role, "eu-west-1")).isSameAs(identity.role(role, "eu-west-1"));
    assertThat(identity.role(role, "eu-west-1")).isNotSameAs(identity.role(role, "us-east-1"));
  }
}
