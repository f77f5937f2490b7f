package dev.vigil.operator.logsource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.api.v1alpha1.LogSourceSpec;
import dev.vigil.operator.common.InvalidSpecException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemberAccountsTest {
  @Test
  void aRoleIsTakenByNameAndPathInTheMemberAccount() {
    assertThat(
            MemberAccounts.inAccount(
                "arn:aws:iam::111111111111:role/security/vigil-access", "222222222222"))
        .isEqualTo("arn:aws:iam::222222222222:role/security/vigil-access");
    assertThat(
            MemberAccounts.inAccount(
                "arn:aws-us-gov:iam::111111111111:role/vigil-cwl", "333333333333"))
        .isEqualTo("arn:aws-us-gov:iam::333333333333:role/vigil-cwl");
    assertThat(MemberAccounts.inAccount(null, "222222222222")).isNull();
  }

  @Test
  void theSpecNeedsARoleAndTwelveDigitExclusions() throws InvalidSpecException {
    LogSourceSpec.AwsAccess aws = new LogSourceSpec.AwsAccess();
    aws.allOrganizationAccounts = true;
    assertThatThrownBy(() -> MemberAccounts.validate(aws))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("spec.aws.roleArn");

    aws.roleArn = "arn:aws:iam::111111111111:role/vigil-access";
    aws.excludedAccounts = List.of("111111111111", "12345");
    assertThatThrownBy(() -> MemberAccounts.validate(aws))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessage("spec.aws.excludedAccounts[1]: not a 12-digit account id");

    aws.excludedAccounts = List.of("111111111111");
    MemberAccounts.validate(aws);
  }
}
