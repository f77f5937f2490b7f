package dev.vigil.operator.logsource;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.parts.MotoServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Scale harness (not a test): an AWS Organization of N member accounts on the emulator (default
 * 1,000, {@code -Dbench.accounts=N}), each with a seeded-random 0–50 log groups (four in five
 * matching the LogSource's pattern), and {@link MemberAccounts}' pass over it as the operator runs
 * it: a first rollout, a steady-state pass with nothing changed, the same with a share of calls
 * answered with AWS throttling errors ({@code -Dbench.throttle=0.1}), and a pass after accounts
 * joined and log groups appeared, and the full re-check its clock triggers by jumping an hour
 * (between full passes an account costs one listing of its groups: {@link SubscriptionMemory}).
 * Prints per pass: wall time, AWS calls by service and operation (the operator's own {@code
 * vigil_aws_calls_total}), calls per account, throttling retries, heap in use after GC and the JSON
 * size of the status summary. Exits non-zero when a pass loses or fails an account or leaves a
 * matching group unsubscribed. Run with {@code make bench-org}.
 */
public final class OrganizationBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PATTERN = "/aws/lambda/*";

  /** The operator's default full-check interval; the bench's clock jumps past it for pass 5. */
  private static final Duration FULL_CHECK = Duration.ofHours(1);

  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private final Map<String, AwsClients> clients = new ConcurrentHashMap<>();
  private final MotoOrganization organization;
  private final ThrottlingProxy proxy;
  private final MemberAccounts members;
  private final AwsClients organizationClients;
  private final Random random;
  private final List<String> accounts = new ArrayList<>();
  private int matchingGroups;
  private boolean failed;

  private OrganizationBenchmark(
      MotoServer moto, ThrottlingProxy proxy, int concurrency, long seed) {
    this.organization = new MotoOrganization(moto.endpoint(), new SimpleMeterRegistry());
    this.proxy = proxy;
    this.random = new Random(seed);
    // As the reconciler does: one AwsClients per role, kept between passes.
    this.members =
        new MemberAccounts(
            (spec, role) ->
                clients.computeIfAbsent(
                    role, r -> MotoOrganization.clients(proxy.uri(), r, metrics)),
            concurrency,
            new SubscriptionMemory(FULL_CHECK, now::get));
    this.organizationClients = MotoOrganization.clients(proxy.uri(), null, metrics);
  }

  public static void main(String[] args) throws Exception {
    int n = Integer.getInteger("bench.accounts", 1000);
    int concurrency = Integer.getInteger("bench.concurrency", 8);
    double throttle = Double.parseDouble(System.getProperty("bench.throttle", "0.1"));
    long seed = Long.getLong("bench.seed", 20);
    System.out.printf(
        "bench-org: %d accounts, concurrency %d, seed %d; %d cores, load average %.1f%n",
        n,
        concurrency,
        seed,
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    boolean failed;
    try (MotoServer moto = MotoServer.start();
        ThrottlingProxy proxy = new ThrottlingProxy(moto.endpoint())) {
      OrganizationBenchmark bench = new OrganizationBenchmark(moto, proxy, concurrency, seed);
      long t0 = System.nanoTime();
      bench.join(n);
      System.out.printf(
          "organization made in %.0f s: %d member accounts, %d matching log groups%n%n",
          seconds(t0), bench.accounts.size(), bench.matchingGroups);
      LogSource source =
          MotoOrganization.cloudWatchEverywhere("org", PATTERN, List.of(MotoServer.ACCOUNT_ID));

      bench.pass("1. first rollout", source);
      bench.pass("2. steady state, nothing changed", source);
      proxy.throttle(throttle);
      bench.pass(
          String.format("3. steady state, %.0f %% of calls throttled", throttle * 100), source);
      proxy.throttle(0);
      int joined = Math.max(1, n / 100);
      bench.join(joined);
      bench.addGroups(Math.max(1, n / 100));
      bench.pass(
          "4. " + joined + " accounts joined, new log groups in " + joined + " others", source);
      bench.now.set(bench.now.get().plus(FULL_CHECK));
      bench.pass("5. full re-check (full-check interval elapsed)", source);
      failed = bench.failed;
      System.out.println("calls answered with throttling by the proxy: " + proxy.throttled());
    }
    if (failed) {
      System.out.println("FAILED: a pass lost or failed an account, or left a group unsubscribed");
      System.exit(1);
    }
  }

  /** Creates accounts with 0–50 log groups each, four in five matching the pattern. */
  private void join(int count) {
    int first = accounts.size();
    List<Integer> sizes = new ArrayList<>();
    List<String> made = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      made.add(organization.createAccount("bench-" + (first + i)));
      sizes.add(random.nextInt(51));
    }
    List<Integer> matching =
        members.inParallel(
            java.util.stream.IntStream.range(0, count).boxed().toList(),
            i -> createGroups(made.get(i), 0, sizes.get(i)));
    matchingGroups += matching.stream().mapToInt(Integer::intValue).sum();
    accounts.addAll(made);
  }

  /** Two new groups in each of {@code count} existing accounts. */
  private void addGroups(int count) {
    List<String> chosen = accounts.subList(0, Math.min(count, accounts.size()));
    matchingGroups +=
        members.inParallel(chosen, account -> createGroups(account, 100, 102)).stream()
            .mapToInt(Integer::intValue)
            .sum();
  }

  private int createGroups(String account, int from, int to) {
    int matching = 0;
    try (var logs = organization.logsIn(account)) {
      for (int g = from; g < to; g++) {
        boolean match = g % 5 != 4;
        String name = match ? "/aws/lambda/function-" + g : "/ecs/service-" + g;
        logs.createLogGroup(r -> r.logGroupName(name));
        matching += match ? 1 : 0;
      }
    }
    return matching;
  }

  private void pass(String name, LogSource source) throws Exception {
    Map<String, Double> callsBefore = counts("vigil_aws_calls_total");
    Map<String, Double> retriesBefore = counts(AwsClients.RetryCounter.NAME);
    long t0 = System.nanoTime();
    MemberAccounts.Rollout rollout = members.apply(source, organizationClients);
    double seconds = seconds(t0);
    Map<String, Double> calls = minus(counts("vigil_aws_calls_total"), callsBefore);
    Map<String, Double> retries = minus(counts(AwsClients.RetryCounter.NAME), retriesBefore);
    double total = calls.values().stream().mapToDouble(Double::doubleValue).sum();
    int n = rollout.accounts().size();
    long ready = rollout.accounts().stream().filter(r -> r.ready).count();

    System.out.printf(
        "== %s: %.1f s for %d accounts (%.0f ms per account)%n",
        name, seconds, n, seconds * 1000 / n);
    System.out.printf("   AWS calls: %.0f (%.1f per account)%n", total, n == 0 ? 0 : total / n);
    calls.forEach((call, count) -> System.out.printf("     %-45s %8.0f%n", call, count));
    System.out.printf("   retries: %s%n", retries.isEmpty() ? "none" : retries);
    System.gc();
    Runtime rt = Runtime.getRuntime();
    System.out.printf(
        "   heap in use after GC: %d MiB (max %d MiB); threads: %d; AWS client sets cached: %d%n",
        (rt.totalMemory() - rt.freeMemory()) >> 20,
        rt.maxMemory() >> 20,
        Thread.activeCount(),
        clients.size());
    Map<String, Long> threads = new TreeMap<>();
    Thread.getAllStackTraces().keySet().stream()
        .map(t -> t.getName().replaceAll("[0-9]+", "N"))
        .forEach(t -> threads.merge(t, 1L, Long::sum));
    threads.entrySet().removeIf(e -> e.getValue() < 20);
    System.out.printf("   thread names (20 or more): %s%n", threads);
    System.out.printf(
        "   status.memberAccounts: %d bytes of JSON (one entry per account would be %d)%n",
        JSON.writeValueAsBytes(MemberAccounts.summary(rollout.accounts())).length,
        JSON.writeValueAsBytes(rollout.accounts()).length);
    int subscribed = rollout.subscriptions().subscribed().size();
    System.out.printf(
        "   accounts ready %d of %d (organization has %d); groups subscribed %d of %d; failed %d%n%n",
        ready, n, accounts.size(), subscribed, matchingGroups, rollout.failed().size());
    if (n != accounts.size()
        || ready != n
        || !rollout.failed().isEmpty()
        || subscribed != matchingGroups) {
      failed = true;
      rollout.failed().stream().limit(10).forEach(f -> System.out.println("   failed: " + f));
    }
  }

  /** A counter family summed over outcomes, by {@code service:Operation}. */
  private Map<String, Double> counts(String meter) {
    Map<String, Double> out = new TreeMap<>();
    for (Counter c : metrics.find(meter).counters()) {
      String key =
          c.getId().getTag("service")
              + ":"
              + c.getId().getTag("operation")
              + (c.getId().getTag("reason") == null ? "" : " " + c.getId().getTag("reason"));
      out.merge(key, c.count(), Double::sum);
    }
    return out;
  }

  private static Map<String, Double> minus(Map<String, Double> after, Map<String, Double> before) {
    Map<String, Double> out = new TreeMap<>();
    after.forEach(
        (k, v) -> {
          double d = v - before.getOrDefault(k, 0.0);
          if (d > 0) {
            out.put(k, d);
          }
        });
    return out;
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
