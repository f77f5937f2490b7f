package dev.vigil.operator.logsource;

import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.api.v1alpha1.LogSourceSpec;
import dev.vigil.core.ingest.AccountDirectory;
import dev.vigil.operator.common.OwnerReferences;
import dev.vigil.operator.opensearch.RequestAuth;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The account directory of each organization a LogSource reads (its {@code organizationRoleArn}, or
 * the operator's identity), read from AWS Organizations at most once per {@code
 * vigil.operator.organization.accounts-refresh-interval} whatever the number of LogSources, and
 * written into the ConfigMap {@link AccountDirectory#CONFIG_MAP} of each namespace that has such a
 * LogSource: the accounts of every organization its LogSources read, together (one organization's
 * alone would make the others' accounts unknown, and a rule on unknown accounts fire). Every
 * ingester pod of the namespace mounts it (optional), so each LogSource's documents get the names,
 * also those of a LogSource that does not read Organizations itself. The ConfigMap is owned by
 * those LogSources: it goes with the last of them, and a deleted one's organization leaves it at
 * once. It is written only when it changed, and no ingester restarts for it: the kubelet updates
 * the mounted file and the ingester re-reads it. A failed read keeps the last directory and is
 * tried again after {@link #RETRY}.
 */
final class AccountDirectories {
  static final String ACCOUNTS_METRIC = "vigil.operator.account.directory.accounts";
  static final String REFRESHED_METRIC = "vigil.operator.account.directory.refreshed";

  /** How soon a failed read is tried again (never sooner than the refresh interval allows). */
  static final Duration RETRY = Duration.ofMinutes(5);

  private final KubernetesClient client;
  private final MeterRegistry metrics;
  private final Duration interval;
  private final Supplier<Instant> clock;

  /**
   * What was last read of an organization (null before a first success), when it was last tried,
   * and why that try failed (null: it did not).
   */
  record Read(AccountDirectory directory, Instant tried, String failure) {}

  private final Map<String, Read> organizations = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong[]> gauges = new ConcurrentHashMap<>();

  AccountDirectories(
      KubernetesClient client, MeterRegistry metrics, Duration interval, Supplier<Instant> clock) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException(
          "vigil.operator.organization.accounts-refresh-interval must be positive, not "
              + interval);
    }
    this.client = client;
    this.metrics = metrics;
    this.interval = interval;
    this.clock = clock;
  }

  /**
   * Whether a LogSource reads AWS Organizations: allOrganizationAccounts or organizationRoleArn.
   */
  static boolean reads(LogSourceSpec spec) {
    return spec.aws != null
        && (Boolean.TRUE.equals(spec.aws.allOrganizationAccounts)
            || spec.aws.organizationRoleArn != null);
  }

  /**
   * Reads the LogSource's organization when due and writes its namespace's ConfigMap when it
   * differs.
   *
   * @param clients the clients that read the organization a LogSource names
   * @return the LogSource's organization's directory as last read, with why the last try failed
   *     (then the previous directory is kept)
   */
  Read apply(LogSource source, Function<LogSourceSpec, AwsClients> clients) {
    Read read = read(source.getSpec(), clients);
    write(source.getMetadata().getNamespace(), clients);
    return read;
  }

  /**
   * A LogSource that reads Organizations is being deleted: its namespace's ConfigMap is written
   * without its organization, or deleted with the last such LogSource.
   */
  void forget(LogSource source, Function<LogSourceSpec, AwsClients> clients) {
    if (reads(source.getSpec())) {
      write(source.getMetadata().getNamespace(), clients);
    }
  }

  private Read read(LogSourceSpec spec, Function<LogSourceSpec, AwsClients> clients) {
    Instant now = clock.get();
    return organizations.compute(
        String.valueOf(spec.aws.organizationRoleArn),
        (k, last) -> {
          if (last != null && now.isBefore(last.tried().plus(wait(last)))) {
            return last;
          }
          try {
            return new Read(
                AccountDirectoryReader.read(clients.apply(spec).organizations(), now), now, null);
          } catch (SdkException e) {
            return new Read(
                last == null ? null : last.directory(), now, "AWS: " + AwsErrors.describe(e));
          } catch (RequestAuth.CredentialsUnavailable e) {
            return new Read(last == null ? null : last.directory(), now, "AWS: " + e.getMessage());
          }
        });
  }

  private Duration wait(Read last) {
    return last.failure() == null || RETRY.compareTo(interval) > 0 ? interval : RETRY;
  }

  /**
   * The namespace's ConfigMap: the accounts of every organization its LogSources (not being
   * deleted) read, owned by them; none without such LogSources. Nothing is written before a first
   * directory was read.
   */
  private void write(String namespace, Function<LogSourceSpec, AwsClients> clients) {
    List<LogSource> readers =
        client.resources(LogSource.class).inNamespace(namespace).list().getItems().stream()
            .filter(s -> reads(s.getSpec()) && s.getMetadata().getDeletionTimestamp() == null)
            .sorted(Comparator.comparing(s -> s.getMetadata().getName()))
            .toList();
    var configMap =
        client.configMaps().inNamespace(namespace).withName(AccountDirectory.CONFIG_MAP);
    if (readers.isEmpty()) {
      configMap.delete();
      AtomicLong[] values = gauges.get(namespace);
      if (values != null) {
        values[0].set(0);
      }
      return;
    }
    Map<String, AccountDirectory.Account> accounts = new TreeMap<>();
    String oldest = null; // the union is as fresh as its oldest part
    for (LogSource reader : readers) {
      AccountDirectory directory = read(reader.getSpec(), clients).directory();
      if (directory != null) {
        accounts.putAll(directory.accounts());
        if (oldest == null || directory.refreshedAt().compareTo(oldest) < 0) {
          oldest = directory.refreshedAt();
        }
      }
    }
    if (oldest == null) {
      return;
    }
    AccountDirectory directory = new AccountDirectory(accounts, oldest);
    ConfigMap wanted =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(AccountDirectory.CONFIG_MAP)
            .withNamespace(namespace)
            .addToLabels("app.kubernetes.io/name", "vigil-accounts")
            .addToLabels("app.kubernetes.io/managed-by", "vigil")
            .withOwnerReferences(readers.stream().map(OwnerReferences::of).toList())
            .endMetadata()
            .withData(Map.of(AccountDirectory.FILE, directory.toJson()))
            .build();
    ConfigMap current = configMap.get();
    if (current == null
        || !Objects.equals(current.getData(), wanted.getData())
        || !uids(current).equals(uids(wanted))) {
      client.resource(wanted).forceConflicts().serverSideApply();
    }
    AtomicLong[] values =
        gauges.computeIfAbsent(
            namespace,
            ns -> {
              AtomicLong[] v = {new AtomicLong(), new AtomicLong()};
              Gauge.builder(ACCOUNTS_METRIC, v[0], AtomicLong::get)
                  .description("Accounts in the namespace's account directory (vigil-accounts)")
                  .tag("namespace", ns)
                  .register(metrics);
              Gauge.builder(REFRESHED_METRIC, v[1], AtomicLong::get)
                  .description("When the account directory was last read from AWS Organizations")
                  .baseUnit("timestamp_seconds")
                  .tag("namespace", ns)
                  .register(metrics);
              return v;
            });
    values[0].set(directory.size());
    values[1].set(Instant.parse(directory.refreshedAt()).getEpochSecond());
  }

  private static Set<String> uids(ConfigMap map) {
    return map.getMetadata().getOwnerReferences().stream()
        .map(OwnerReference::getUid)
        .collect(Collectors.toSet());
  }
}
