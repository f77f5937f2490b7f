package dev.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.LogType;
import dev.vigil.core.parse.BulkBody;
import dev.vigil.core.parse.DocumentSink;
import dev.vigil.core.parse.IndexNaming;
import dev.vigil.core.parse.IndexTemplates;
import dev.vigil.core.parse.LayoutQueries;
import dev.vigil.core.parse.ObjectParser;
import dev.vigil.core.parse.ObjectRef;
import dev.vigil.core.parse.ParsedDocument;
import dev.vigil.core.parse.Rejection;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.parts.RealParts;
import dev.vigil.testing.BaselineLayout;
import dev.vigil.testing.RepositoryRoot;
import dev.vigil.testing.SyntheticCloudTrail;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What OpenSearch pays per event under the old index layout (the templates before #16, frozen in
 * {@link BaselineLayout}) and today's ({@link IndexTemplates}), on one node in one run: the same
 * CloudTrail, VPC Flow and WAF documents are indexed into both, alternating, and per 1,000 events
 * it prints the OpenSearch process's CPU-seconds to index them (bulk, refresh, flush — read from
 * /proc/&lt;pid&gt;/stat), the bytes on disk after a force-merge to one segment, the mapped fields,
 * and the median latency of every shipped rule's and dashboard's query and the analyst queries
 * ({@link LayoutQueries}), with new/old ratios. Sizes: {@code -Dbench.events=N} per type (default
 * 50,000), {@code -Dbench.rounds=R} indexing rounds per layout (default 3), {@code
 * -Dbench.queryRuns=Q} timed runs per query (default 15); {@code -Dbench.variants=name=file.json,…}
 * adds experimental layouts (today's with overrides, see {@link #variants()}) to every round.
 */
public final class StorageBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<LogType> TYPES =
      Arrays.stream(System.getProperty("bench.types", "cloudtrail,vpcflow,waf").split(","))
          .map(
              id ->
                  LogType.fromId(id)
                      .orElseThrow(
                          () -> new IllegalArgumentException("bench.types: no log type " + id)))
          .toList();
  private static final int BULK_DOCUMENTS = 5000;

  private final OpenSearchNode node;

  private StorageBenchmark(OpenSearchNode node) {
    this.node = node;
  }

  /**
   * One layout under its own index prefix; a variant is today's layout with {@code overrides}
   * deep-merged into each type's index template (null otherwise).
   */
  private record Layout(String prefix, ObjectNode overrides) {
    Layout(String prefix) {
      this(prefix, null);
    }

    String index(LogType type) {
      return prefix + "-" + type.id() + "-bench";
    }

    /** A document as this layout's parser wrote it: the baseline's carries the ECS copies. */
    byte[] source(ParsedDocument d) {
      return prefix.equals(OLD) ? BaselineLayout.document(d.type().id(), d.source()) : d.source();
    }
  }

  private static final String OLD = "old";

  private record Indexing(double cpuSeconds, double mergeCpuSeconds, long storeBytes, int fields) {}

  public static void main(String[] args) throws Exception {
    int events = Integer.getInteger("bench.events", 50_000);
    int rounds = Integer.getInteger("bench.rounds", 3);
    int queryRuns = Integer.getInteger("bench.queryRuns", 15);
    System.out.printf("load average before: %s", Files.readString(Path.of("/proc/loadavg")));
    OpenSearchNode node = RealParts.openSearch();
    try {
      new StorageBenchmark(node).run(events, rounds, queryRuns);
    } finally {
      RealParts.stopAll();
    }
    System.out.printf("load average after: %s", Files.readString(Path.of("/proc/loadavg")));
  }

  private void run(int events, int rounds, int queryRuns) throws Exception {
    Layout old = new Layout(OLD);
    Layout current = new Layout("new");
    installOld(old.prefix());
    installCurrent(current.prefix());
    List<Layout> variants = variants();
    for (Layout variant : variants) {
      installCurrent(variant);
    }
    Map<LogType, Indexing[]> results = new LinkedHashMap<>();
    for (LogType type : TYPES) {
      List<ParsedDocument> documents = documents(type, events);
      Indexing[] oldRuns = new Indexing[rounds];
      Indexing[] newRuns = new Indexing[rounds];
      Indexing[][] variantRuns = new Indexing[variants.size()][rounds];
      List<Layout> order = new ArrayList<>();
      order.add(old);
      order.add(current);
      order.addAll(variants);
      // A warm-up round: the node's JIT and the first index of a type pay costs the rest do not.
      for (Layout layout : order) {
        index(layout, type, documents);
      }
      for (int r = 0; r < rounds; r++) {
        // Rotate which layout goes first (with two: alternate), so drift in the machine's load
        // hits all alike.
        for (int i = 0; i < order.size(); i++) {
          Layout layout = order.get((i + r) % order.size());
          Indexing run = index(layout, type, documents);
          if (layout == old) {
            oldRuns[r] = run;
          } else if (layout == current) {
            newRuns[r] = run;
          } else {
            variantRuns[variants.indexOf(layout)][r] = run;
          }
        }
      }
      for (int v = 0; v < variants.size(); v++) {
        Indexing[] runs = variantRuns[v];
        System.out.printf(
            Locale.ROOT,
            "%-10s variant %s: CPU s per round %s; paired CPU vs old %.2fx, vs new %.2fx;"
                + " bytes per 1,000 events %,d (%.2fx old); mapped fields %d%n",
            type.id(),
            variants.get(v).prefix(),
            Arrays.toString(Arrays.stream(runs).mapToDouble(Indexing::cpuSeconds).toArray()),
            pairedRatio(oldRuns, runs),
            pairedRatio(newRuns, runs),
            Math.round(median(runs).storeBytes() / (documents.size() / 1000.0)),
            (double) median(runs).storeBytes() / median(oldRuns).storeBytes(),
            median(runs).fields());
      }
      results.put(type, new Indexing[] {median(oldRuns), median(newRuns)});
      System.out.printf(
          Locale.ROOT,
          "%s: %d events, CPU s per round old %s new %s%n",
          type.id(),
          documents.size(),
          Arrays.toString(Arrays.stream(oldRuns).mapToDouble(Indexing::cpuSeconds).toArray()),
          Arrays.toString(Arrays.stream(newRuns).mapToDouble(Indexing::cpuSeconds).toArray()));
      report(type, documents.size(), results.get(type)[0], results.get(type)[1]);
      System.out.printf(
          Locale.ROOT,
          "%-10s indexing CPU new/old, median of the %d paired rounds: %.2fx%n",
          type.id(),
          rounds,
          pairedRatio(oldRuns, newRuns));
    }
    if (queryRuns > 0) {
      queries(old, current, queryRuns);
    }
  }

  /**
   * The two layouts of one round run back to back, so their ratio cancels the drift of a shared
   * machine's load between rounds, which the ratio of the two separate medians does not.
   */
  static double pairedRatio(Indexing[] old, Indexing[] current) {
    double[] ratios = new double[old.length];
    for (int r = 0; r < old.length; r++) {
      ratios[r] = current[r].cpuSeconds() / old[r].cpuSeconds();
    }
    Arrays.sort(ratios);
    return ratios[ratios.length / 2];
  }

  private static Indexing median(Indexing[] runs) {
    Indexing[] sorted = runs.clone();
    Arrays.sort(sorted, (a, b) -> Double.compare(a.cpuSeconds(), b.cpuSeconds()));
    return sorted[sorted.length / 2];
  }

  private static void report(LogType type, int events, Indexing old, Indexing current) {
    double per = events / 1000.0;
    System.out.printf(
        Locale.ROOT,
        "%-10s per 1,000 events  indexing CPU s: old %.3f new %.3f (%.2fx)  force-merge CPU s: old %.3f"
            + " new %.3f  bytes on disk: old %,d new %,d (%.2fx)  mapped fields: old %d new %d%n",
        type.id(),
        old.cpuSeconds() / per,
        current.cpuSeconds() / per,
        current.cpuSeconds() / old.cpuSeconds(),
        old.mergeCpuSeconds() / per,
        current.mergeCpuSeconds() / per,
        Math.round(old.storeBytes() / per),
        Math.round(current.storeBytes() / per),
        (double) current.storeBytes() / old.storeBytes(),
        old.fields(),
        current.fields());
  }

  private Indexing index(Layout layout, LogType type, List<ParsedDocument> documents)
      throws Exception {
    String index = layout.index(type);
    call("DELETE", "/" + index + "?ignore_unavailable=true", null);
    call("PUT", "/" + index, "{}");
    List<byte[]> bodies = bulkBodies(index, layout, documents);
    long pid = node.pid();
    long before = cpuMillis(pid);
    for (byte[] body : bodies) {
      JsonNode response = call("POST", "/_bulk", body);
      if (response.path("errors").asBoolean()) {
        throw new IllegalStateException("bulk errors in " + index + ": " + response);
      }
    }
    call("POST", "/" + index + "/_refresh", "");
    call("POST", "/" + index + "/_flush", "");
    long indexed = cpuMillis(pid);
    call("POST", "/" + index + "/_forcemerge?max_num_segments=1", "");
    // The searchers still hold the merged-away segments' files until a refresh replaces them.
    call("POST", "/" + index + "/_refresh", "");
    call("POST", "/" + index + "/_flush?force=true", "");
    long merged = cpuMillis(pid);
    JsonNode stats = call("GET", "/" + index + "/_stats/store,docs", null);
    JsonNode primaries = stats.path("_all").path("primaries");
    long count = primaries.path("docs").path("count").asLong();
    if (count != documents.size()) {
      throw new IllegalStateException(
          index + " holds " + count + " documents, not " + documents.size());
    }
    JsonNode mapping = call("GET", "/" + index + "/_mapping", null).path(index).path("mappings");
    return new Indexing(
        (indexed - before) / 1000.0,
        (merged - indexed) / 1000.0,
        primaries.path("store").path("size_in_bytes").asLong(),
        mappedFields(mapping.path("properties")));
  }

  /**
   * Leaf fields and multi-fields of a mapping (a flat_object counts once, as OpenSearch counts it).
   */
  static int mappedFields(JsonNode properties) {
    int n = 0;
    for (JsonNode field : properties) {
      if (field.has("properties")) {
        n += mappedFields(field.path("properties"));
      } else {
        n += 1 + field.path("fields").size();
      }
    }
    return n;
  }

  private void queries(Layout old, Layout current, int runs) throws Exception {
    Path samples = RepositoryRoot.find().resolve("samples");
    Map<String, List<LayoutQueries.Query>> sets = new LinkedHashMap<>();
    sets.put("analyst", LayoutQueries.ANALYST);
    sets.put("dashboards", LayoutQueries.dashboards(samples));
    sets.put("rules", LayoutQueries.rules(samples));
    for (var set : sets.entrySet()) {
      List<Double> oldMedians = new ArrayList<>();
      List<Double> newMedians = new ArrayList<>();
      int differing = 0;
      for (LayoutQueries.Query query : set.getValue()) {
        if (!coversBenchIndices(query)) {
          continue;
        }
        double[] o = new double[runs];
        double[] c = new double[runs];
        for (int i = -3; i < runs; i++) { // three warm-up runs each
          double a = timed(query, old);
          double b = timed(query, current);
          if (i >= 0) {
            o[i] = a;
            c[i] = b;
          }
        }
        oldMedians.add(medianOf(o));
        newMedians.add(medianOf(c));
        if (!hits(query, old).equals(hits(query, current))) {
          differing++;
          System.out.println("DIFFERENT ANSWER: " + query.name());
        }
      }
      double om = medianOf(oldMedians.stream().mapToDouble(Double::doubleValue).toArray());
      double nm = medianOf(newMedians.stream().mapToDouble(Double::doubleValue).toArray());
      System.out.printf(
          Locale.ROOT,
          "queries %-10s %3d over the bench indices: median of per-query medians old %.2f ms new %.2f ms"
              + " (%.2fx), total old %.1f ms new %.1f ms; different answers: %d%n",
          set.getKey(),
          oldMedians.size(),
          om,
          nm,
          nm / om,
          oldMedians.stream().mapToDouble(Double::doubleValue).sum(),
          newMedians.stream().mapToDouble(Double::doubleValue).sum(),
          differing);
    }
  }

  private static boolean coversBenchIndices(LayoutQueries.Query query) {
    String regex = query.indexPattern().replace(".", "\\.").replace("*", ".*");
    return TYPES.stream()
        .anyMatch(
            t ->
                Arrays.stream(regex.split(","))
                    .anyMatch(r -> ("vigil-" + t.id() + "-bench").matches(r)));
  }

  private double timed(LayoutQueries.Query query, Layout layout) throws Exception {
    long start = System.nanoTime();
    search(query, layout);
    return (System.nanoTime() - start) / 1e6;
  }

  private JsonNode search(LayoutQueries.Query query, Layout layout) throws Exception {
    JsonNode response =
        call(
            "POST",
            "/" + query.indexPattern(layout.prefix()) + "/_search?request_cache=false",
            JSON.writeValueAsBytes(query.body()));
    if (response.has("error")) {
      throw new IllegalStateException(query.name() + ": " + response.path("error"));
    }
    return response;
  }

  /**
   * What a query answers, as comparable text: the total and the aggregations (which hits of many
   * equal-scored ones come first is not an answer; the layout test compares every hit's id).
   */
  private String hits(LayoutQueries.Query query, Layout layout) throws Exception {
    JsonNode response = search(query, layout);
    return response.path("hits").path("total") + " " + response.path("aggregations");
  }

  private static double medianOf(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private void installOld(String prefix) throws Exception {
    BaselineLayout layout = new BaselineLayout(prefix);
    call("PUT", "/_component_template/" + layout.componentName(), layout.componentTemplate());
    for (LogType type : TYPES) {
      call(
          "PUT",
          "/_index_template/" + layout.templateName(type.id()),
          layout.indexTemplate(type.id()));
    }
  }

  private void installCurrent(String prefix) throws Exception {
    installCurrent(new Layout(prefix));
  }

  private void installCurrent(Layout layout) throws Exception {
    IndexTemplates templates =
        new IndexTemplates(new IndexNaming(layout.prefix(), IndexNaming.Granularity.DAILY));
    call(
        "PUT",
        "/_component_template/" + templates.componentName(),
        JSON.writeValueAsBytes(templates.componentTemplate()));
    for (LogType type : TYPES) {
      ObjectNode template = templates.indexTemplate(type);
      if (layout.overrides() != null) {
        merge(template, layout.overrides());
      }
      call(
          "PUT",
          "/_index_template/" + templates.templateName(type),
          JSON.writeValueAsBytes(template));
    }
  }

  /**
   * Experimental layouts measured in the same run as old and new: {@code
   * -Dbench.variants=name=file.json,…}, each file a JSON object deep-merged into every benched
   * type's index template (a null value removes the key). Variants index the new layout's
   * documents, under the prefix {@code name}.
   */
  private static List<Layout> variants() throws IOException {
    List<Layout> out = new ArrayList<>();
    String spec = System.getProperty("bench.variants", "");
    for (String entry : spec.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      String[] nameFile = entry.split("=", 2);
      out.add(
          new Layout(
              nameFile[0], (ObjectNode) JSON.readTree(Files.readAllBytes(Path.of(nameFile[1])))));
    }
    return out;
  }

  static void merge(ObjectNode target, JsonNode overrides) {
    overrides
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode existing = target.get(e.getKey());
              if (e.getValue().isNull()) {
                target.remove(e.getKey());
              } else if (existing instanceof ObjectNode o && e.getValue().isObject()) {
                merge(o, e.getValue());
              } else {
                target.set(e.getKey(), e.getValue());
              }
            });
  }

  /** The same events for both layouts: generated from each type's documented format. */
  static List<ParsedDocument> documents(LogType type, int events) throws IOException {
    InputStream raw =
        switch (type) {
          case CLOUDTRAIL ->
              SyntheticCloudTrail.object(events, 16, Instant.parse("2026-11-27T00:00:00Z"));
          case VPCFLOW -> new ByteArrayInputStream(SyntheticLines.vpcFlow(events));
          case WAF -> new ByteArrayInputStream(SyntheticLines.waf(events));
          default -> throw new IllegalArgumentException(type.id());
        };
    List<ParsedDocument> out = new ArrayList<>(events);
    ObjectParser.standard()
        .parse(
            raw,
            new ObjectRef("bench", "AWSLogs/111122223333/" + type.id() + "/bench.log"),
            type,
            new DocumentSink() {
              @Override
              public void document(ParsedDocument d) {
                out.add(d);
              }

              @Override
              public void rejected(Rejection rejection) {
                throw new IllegalStateException(rejection.toString());
              }
            });
    return out;
  }

  private static List<byte[]> bulkBodies(
      String index, Layout layout, List<ParsedDocument> documents) {
    List<byte[]> bodies = new ArrayList<>();
    BulkBody body = new BulkBody(8 << 20);
    for (ParsedDocument d : documents) {
      body.add(new ParsedDocument(d.type(), index, d.id(), d.timestamp(), layout.source(d)));
      if (body.documents() == BULK_DOCUMENTS) {
        bodies.add(body.toByteArray());
        body.reset();
      }
    }
    if (body.documents() > 0) {
      bodies.add(body.toByteArray());
    }
    return bodies;
  }

  private JsonNode call(String method, String path, Object body) throws Exception {
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : body instanceof byte[] bytes
                ? HttpRequest.BodyPublishers.ofByteArray(bytes)
                : HttpRequest.BodyPublishers.ofString((String) body);
    HttpRequest request =
        node.request(path)
            .timeout(java.time.Duration.ofMinutes(10))
            .header(
                "Content-Type",
                path.startsWith("/_bulk") ? "application/x-ndjson" : "application/json")
            .method(method, publisher)
            .build();
    HttpResponse<String> response =
        node.httpClient().send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(
          method + " " + path + ": " + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body());
  }

  /** utime + stime of a process, in milliseconds (USER_HZ = 100). */
  static long cpuMillis(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
  }
}
