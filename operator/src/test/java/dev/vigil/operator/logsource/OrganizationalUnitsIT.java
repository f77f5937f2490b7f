package dev.vigil.operator.logsource;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.RealParts;
import dev.vigil.testing.IamPolicies;
import dev.vigil.testing.RealPartsExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code aws.organizationalUnits} and {@code aws.excludedOrganizationalUnits} on the emulator's
 * Organizations: units nested two deep, accounts moved into them with MoveAccount, and the accounts
 * a LogSource covers read back through the operator's own Organizations client.
 */
@ExtendWith(RealPartsExtension.class)
class OrganizationalUnitsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final MotoServer moto = RealParts.moto();
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  @Test
  void aLogSourceCoversTheAccountsOfItsUnitsAndTheirNestedUnitsLessTheExcludedOnes() {
    MotoOrganization organization = new MotoOrganization(moto.endpoint(), metrics);
    OrganizationsApi api = organization.organizations();
    String tag = "ou-" + UUID.randomUUID().toString().substring(0, 8);
    String root =
        api.call("ListRoots", JSON.createObjectNode()).path("Roots").get(0).path("Id").asText();
    String workloads = unit(api, root, tag + "-workloads");
    String production = unit(api, workloads, tag + "-production");
    String sandbox = unit(api, workloads, tag + "-sandbox");
    String elsewhere = unit(api, root, tag + "-elsewhere");
    String inWorkloads = moved(organization, root, workloads, tag + "-a");
    String inProduction = moved(organization, root, production, tag + "-b");
    String inSandbox = moved(organization, root, sandbox, tag + "-c");
    String inElsewhere = moved(organization, root, elsewhere, tag + "-d");
    String excludedById = moved(organization, root, production, tag + "-e");

    LogSource source =
        MotoOrganization.cloudWatchEverywhere(tag, "/aws/lambda/*", List.of(excludedById));
    source.getSpec().aws.organizationalUnits = List.of(workloads);
    source.getSpec().aws.excludedOrganizationalUnits = List.of(sandbox);
    List<String> covered =
        MemberAccounts.accounts(source, MotoOrganization.clients(moto.endpoint(), null, metrics));

    assertThat(covered)
        .containsExactlyElementsOf(List.of(inWorkloads, inProduction).stream().sorted().toList())
        .doesNotContain(inSandbox, inElsewhere, excludedById);
    assertThat(api.accountsUnder(workloads))
        .containsExactlyInAnyOrder(inWorkloads, inProduction, inSandbox, excludedById);
    // The listings the selection made are in the operator policy of docs/iam.md.
    java.util.Set<String> made =
        IamPolicies.actions(
            metrics.find("vigil_aws_calls_total").tag("service", "Organizations").counters());
    assertThat(IamPolicies.documented("Operator policy"))
        .contains(
            "organizations:ListAccounts",
            "organizations:ListAccountsForParent",
            "organizations:ListOrganizationalUnitsForParent");
    assertThat(made).contains("organizations:ListAccountsForParent");

    // Without units, the root's accounts are all there (other tests' accounts too).
    source.getSpec().aws.organizationalUnits = null;
    source.getSpec().aws.excludedOrganizationalUnits = null;
    assertThat(
            MemberAccounts.accounts(
                source, MotoOrganization.clients(moto.endpoint(), null, metrics)))
        .contains(inWorkloads, inProduction, inSandbox, inElsewhere)
        .doesNotContain(excludedById);
  }

  private static String unit(OrganizationsApi api, String parent, String name) {
    return api.call(
            "CreateOrganizationalUnit",
            JSON.createObjectNode().put("ParentId", parent).put("Name", name))
        .path("OrganizationalUnit")
        .path("Id")
        .asText();
  }

  private static String moved(
      MotoOrganization organization, String root, String unit, String name) {
    String account = organization.createAccount(name);
    organization
        .organizations()
        .call(
            "MoveAccount",
            JSON.createObjectNode()
                .put("AccountId", account)
                .put("SourceParentId", root)
                .put("DestinationParentId", unit));
    return account;
  }
}
