package dev.vigil.operator.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.IamPolicies;
import java.util.List;
import org.junit.jupiter.api.Test;

class AwsCallLimitsTest {
  @Test
  void callsAreNamedAsTheIamActionsOfDocsIamMdNameThem() {
    // IamPolicies is the tests' own reading of IAM's names (it checks docs/iam.md against the calls
    // the operator made): a failed call's name must be the action a user would look up.
    for (String service :
        List.of(
            "Sqs",
            "S3",
            "Sts",
            "CloudWatchLogs",
            "Firehose",
            "EventBridge",
            "CloudWatch",
            "Organizations")) {
      assertThat(AwsCallLimits.call(service, "DescribeThing"))
          .isEqualTo(IamPolicies.action(service, "DescribeThing"));
    }
    assertThat(AwsCallLimits.call("Sts", "AssumeRole")).isEqualTo("sts:AssumeRole");
  }
}
