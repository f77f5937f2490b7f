package dev.vigil.bench;

import java.io.IOException;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link LogPipelineBenchmark} and prints throughput per log type and the ratio of the
 * CloudTrail pipeline to the gunzip+tokenize ceiling on the same bytes (target: at least 0.60).
 * Arguments are passed to JMH as a regexp filter.
 */
public final class RatioReport {
  private RatioReport() {}

  public static void main(String[] args) throws RunnerException, IOException {
    String include = args.length > 0 ? args[0] : LogPipelineBenchmark.class.getSimpleName();
    Collection<RunResult> results = new Runner(new OptionsBuilder().include(include).build()).run();

    LogPipelineBenchmark data = new LogPipelineBenchmark();
    data.generate();
    double ctMb = LogPipelineBenchmark.uncompressedSize(data.cloudTrailGz) / 1e6;
    double flowMb = LogPipelineBenchmark.uncompressedSize(data.flowGz) / 1e6;
    double wafMb = LogPipelineBenchmark.uncompressedSize(data.wafGz) / 1e6;

    double pipeline = score(results, "cloudTrailPipeline");
    double ceiling = score(results, "cloudTrailGunzipTokenize");
    System.out.println();
    System.out.println("Vigil log core throughput (one thread, uncompressed bytes):");
    line(
        "CloudTrail pipeline (gunzip+parse+normalize+bulk)",
        pipeline,
        ctMb,
        LogPipelineBenchmark.EVENTS);
    line("CloudTrail ceiling (gunzip+tokenize only)", ceiling, ctMb, LogPipelineBenchmark.EVENTS);
    double gunzip = score(results, "cloudTrailGunzipOnly");
    line("CloudTrail gunzip only", gunzip, ctMb, LogPipelineBenchmark.EVENTS);
    line(
        "VPC Flow pipeline",
        score(results, "vpcFlowPipeline"),
        flowMb,
        LogPipelineBenchmark.FLOW_LINES);
    line("WAF pipeline", score(results, "wafPipeline"), wafMb, LogPipelineBenchmark.WAF_RECORDS);
    if (pipeline > 0 && ceiling > 0) {
      System.out.printf(
          Locale.ROOT,
          "RATIO cloudtrail pipeline / ceiling = %.2f (target >= 0.60)%n",
          pipeline / ceiling);
    }
    if (pipeline > 0 && ceiling > 0 && gunzip > 0) {
      // Time per op beyond gunzip: what parsing costs in each, free of the shared decompression.
      System.out.printf(
          Locale.ROOT,
          "beyond gunzip: pipeline %.1f ms/op, tokenize %.1f ms/op%n",
          1000 / pipeline - 1000 / gunzip,
          1000 / ceiling - 1000 / gunzip);
    }
  }

  private static void line(String name, double opsPerSecond, double mbPerOp, int recordsPerOp) {
    if (opsPerSecond <= 0) {
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "  %-52s %8.1f MB/s %12.0f records/s%n",
        name,
        opsPerSecond * mbPerOp,
        opsPerSecond * recordsPerOp);
  }

  private static double score(Collection<RunResult> results, String method) {
    return results.stream()
        .filter(r -> r.getParams().getBenchmark().endsWith("." + method))
        .mapToDouble(r -> r.getPrimaryResult().getScore())
        .findFirst()
        .orElse(0);
  }
}
