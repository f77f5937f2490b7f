package dev.vigil.operator.logsource;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.core.ingest.AccountDirectory;
import dev.vigil.operator.TestNamespace;
import dev.vigil.parts.KubeApiServer;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.RealParts;
import dev.vigil.testing.IamPolicies;
import dev.vigil.testing.RealPartsExtension;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The account directory on the emulator's Organizations and the real API server: names, OU paths
 * (units nested two deep) and tags land in the namespace's ConfigMap {@code vigil-accounts}; a
 * second pass within the refresh interval makes no Organizations call, and one after it writes what
 * changed (a new tag, an account moved to another unit). Tags: <a
 * href="https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListTagsForResource.html">ListTagsForResource</a>
 * with the account id as ResourceId.
 */
@ExtendWith(RealPartsExtension.class)
class AccountDirectoryIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final MotoServer moto = RealParts.moto();
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  @org.junit.jupiter.api.BeforeAll
  static void installCrds(KubeApiServer server) {
    dev.vigil.operator.KubeApiServerResource.installCrds(server.adminClient());
  }

  @Test
  void namesOuPathsAndTagsReachTheConfigMapAndARefreshBringsChanges(KubeApiServer server) {
    KubernetesClient client = server.adminClient();
    String tag = "ad-" + UUID.randomUUID().toString().substring(0, 6);
    TestNamespace.create(client, tag);
    // Setup calls are counted apart: the registry below sees only the directory's calls.
    MotoOrganization organization =
        new MotoOrganization(moto.endpoint(), new SimpleMeterRegistry());
    OrganizationsApi api = organization.organizations();
    String root =
        api.call("ListRoots", JSON.createObjectNode()).path("Roots").get(0).path("Id").asText();
    String workloads = unit(api, root, tag + "-workloads");
    String prod = unit(api, workloads, tag + "-prod");
    String payments = organization.createAccount(tag + "-payments");
    move(api, payments, root, prod);
    tag(api, payments, "env", "prod");
    String sandbox = organization.createAccount(tag + "-sandbox");

    LogSource source = created(client, tag, tag, null);
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-06T18:00:00Z"));
    AccountDirectories directories =
        new AccountDirectories(client, metrics, Duration.ofHours(1), now::get);
    AwsClients clients = MotoOrganization.clients(moto.endpoint(), null, metrics);

    assertThat(directories.apply(source, spec -> clients).failure()).isNull();

    AccountDirectory first = read(client, tag);
    assertThat(first.refreshedAt()).isEqualTo("2026-12-06T18:00:00Z");
    assertThat(first.find(payments))
        .isEqualTo(
            new AccountDirectory.Account(
                tag + "-payments",
                "Root/" + tag + "-workloads/" + tag + "-prod",
                Map.of("env", "prod")));
    assertThat(first.find(sandbox))
        .isEqualTo(new AccountDirectory.Account(tag + "-sandbox", "Root", Map.of()));
    assertThat(first.find(MotoServer.ACCOUNT_ID)).isNotNull();
    assertThat(
            metrics.get(AccountDirectories.ACCOUNTS_METRIC).tag("namespace", tag).gauge().value())
        .isEqualTo(first.size());

    tag(api, payments, "team", "payments");
    move(api, sandbox, root, workloads);
    double calls = organizationsCalls();
    now.set(now.get().plus(Duration.ofMinutes(59)));
    assertThat(directories.apply(source, spec -> clients).failure()).isNull();
    assertThat(organizationsCalls()).as("no read within the interval").isEqualTo(calls);
    assertThat(read(client, tag).find(sandbox).ouPath()).isEqualTo("Root");

    now.set(now.get().plus(Duration.ofMinutes(1)));
    assertThat(directories.apply(source, spec -> clients).failure()).isNull();

    AccountDirectory second = read(client, tag);
    assertThat(second.refreshedAt()).isEqualTo("2026-12-06T19:00:00Z");
    assertThat(second.find(payments).tags()).containsEntry("team", "payments");
    assertThat(second.find(sandbox).ouPath()).isEqualTo("Root/" + tag + "-workloads");
    // Every Organizations action the directory used is in the operator policy of docs/iam.md.
    assertThat(IamPolicies.documented("Operator policy"))
        .containsAll(
            IamPolicies.actions(
                metrics.find("vigil_aws_calls_total").tag("service", "Organizations").counters()));
  }

  @Test
  void aFailedReadIsReportedAndKeepsTheNamespacesLastDirectory(KubeApiServer server) {
    KubernetesClient client = server.adminClient();
    String tag = "adf-" + UUID.randomUUID().toString().substring(0, 6);
    TestNamespace.create(client, tag);
    new MotoOrganization(moto.endpoint(), new SimpleMeterRegistry()); // and the operator's keys
    LogSource source = created(client, tag, tag, null);
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-06T18:00:00Z"));
    AccountDirectories directories =
        new AccountDirectories(client, metrics, Duration.ofHours(1), now::get);
    AwsClients good = MotoOrganization.clients(moto.endpoint(), null, metrics);
    AwsClients unreachable =
        MotoOrganization.clients(java.net.URI.create("http://127.0.0.1:1"), null, metrics);
    assertThat(directories.apply(source, spec -> good).failure()).isNull();
    AccountDirectory before = read(client, tag);

    now.set(now.get().plus(Duration.ofHours(1)));
    String failure = directories.apply(source, spec -> unreachable).failure();

    assertThat(failure).startsWith("AWS: ").contains("ListRoots");
    assertThat(read(client, tag)).usingRecursiveComparison().isEqualTo(before);
    // Tried again after RETRY (5 minutes), not after the whole interval.
    now.set(now.get().plus(AccountDirectories.RETRY));
    assertThat(directories.apply(source, spec -> good).failure()).isNull();
    assertThat(read(client, tag).refreshedAt()).isEqualTo("2026-12-06T19:05:00Z");
  }

  /**
   * Two LogSources of one namespace read two organizations (the operator's own, and one in another
   * account through organizationRoleArn): the namespace's directory holds both organizations'
   * accounts and is owned by both LogSources; a deleted LogSource's organization leaves it, and it
   * goes with the last one.
   */
  @Test
  void aNamespacesDirectoryHoldsEveryOrganizationItsLogSourcesReadAndGoesWithThem(
      KubeApiServer server) {
    KubernetesClient client = server.adminClient();
    String tag = "ado-" + UUID.randomUUID().toString().substring(0, 6);
    TestNamespace.create(client, tag);
    new MotoOrganization(moto.endpoint(), new SimpleMeterRegistry()); // the operator's own
    String otherManagement = "210987654321";
    String otherRole = "arn:aws:iam::" + otherManagement + ":role/vigil-organization-reader";
    AwsClients other = MotoOrganization.clients(moto.endpoint(), otherRole, metrics);
    other
        .organizations()
        .call("CreateOrganization", JSON.createObjectNode().put("FeatureSet", "ALL"));
    String otherMember =
        other
            .organizations()
            .call(
                "CreateAccount",
                JSON.createObjectNode()
                    .put("AccountName", tag + "-other-member")
                    .put("Email", tag + "@other.example.com"))
            .path("CreateAccountStatus")
            .path("AccountId")
            .asText();
    AwsClients own = MotoOrganization.clients(moto.endpoint(), null, metrics);
    java.util.function.Function<dev.vigil.api.v1alpha1.LogSourceSpec, AwsClients> clients =
        spec -> spec.aws.organizationRoleArn == null ? own : other;
    LogSource mine = created(client, tag, tag + "-own", null);
    LogSource theirs = created(client, tag, tag + "-other", otherRole);
    AccountDirectories directories =
        new AccountDirectories(client, metrics, Duration.ofHours(1), Instant::now);

    assertThat(directories.apply(mine, clients).failure()).isNull();

    AccountDirectory both = read(client, tag);
    assertThat(both.find(MotoServer.ACCOUNT_ID)).as("the operator's organization").isNotNull();
    assertThat(both.find(otherManagement)).as("the other organization").isNotNull();
    assertThat(both.find(otherMember)).as("the other organization").isNotNull();
    assertThat(owners(client, tag))
        .containsExactlyInAnyOrder(mine.getMetadata().getUid(), theirs.getMetadata().getUid());

    client.resource(theirs).delete(); // no finalizer here: gone at once
    directories.forget(theirs, clients);
    AccountDirectory one = read(client, tag);
    assertThat(one.find(MotoServer.ACCOUNT_ID)).isNotNull();
    assertThat(one.find(otherManagement)).isNull();
    assertThat(one.find(otherMember)).isNull();
    assertThat(owners(client, tag)).containsExactly(mine.getMetadata().getUid());

    client.resource(mine).delete();
    directories.forget(mine, clients);
    assertThat(client.configMaps().inNamespace(tag).withName(AccountDirectory.CONFIG_MAP).get())
        .isNull();
  }

  /** A LogSource reading the organization {@code role} reads (null: the operator's own). */
  private static LogSource created(
      KubernetesClient client, String namespace, String name, String role) {
    LogSource source = MotoOrganization.cloudWatchEverywhere(name, "/aws/lambda/*", List.of());
    source.getMetadata().setNamespace(namespace);
    source.getMetadata().setUid(null);
    source.getSpec().aws.organizationRoleArn = role;
    return client.resource(source).create();
  }

  private static List<String> owners(KubernetesClient client, String namespace) {
    return client
        .configMaps()
        .inNamespace(namespace)
        .withName(AccountDirectory.CONFIG_MAP)
        .get()
        .getMetadata()
        .getOwnerReferences()
        .stream()
        .map(io.fabric8.kubernetes.api.model.OwnerReference::getUid)
        .toList();
  }

  private double organizationsCalls() {
    return metrics.find("vigil_aws_calls_total").tag("service", "Organizations").counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private static AccountDirectory read(KubernetesClient client, String namespace) {
    ConfigMap map =
        client.configMaps().inNamespace(namespace).withName(AccountDirectory.CONFIG_MAP).get();
    try {
      return AccountDirectory.parse(
          map.getData().get(AccountDirectory.FILE).getBytes(StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String unit(OrganizationsApi api, String parent, String name) {
    return api.call(
            "CreateOrganizationalUnit",
            JSON.createObjectNode().put("ParentId", parent).put("Name", name))
        .path("OrganizationalUnit")
        .path("Id")
        .asText();
  }

  private static void move(OrganizationsApi api, String account, String from, String to) {
    api.call(
        "MoveAccount",
        JSON.createObjectNode()
            .put("AccountId", account)
            .put("SourceParentId", from)
            .put("DestinationParentId", to));
  }

  private static void tag(OrganizationsApi api, String account, String key, String value) {
    var request = JSON.createObjectNode().put("ResourceId", account);
    request.putArray("Tags").addObject().put("Key", key).put("Value", value);
    api.call("TagResource", request);
  }
}
