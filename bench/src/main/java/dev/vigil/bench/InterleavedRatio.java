package dev.vigil.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * The pipeline/ceiling ratio measured by alternating the two on one thread, op for op, and timing
 * each by the thread's CPU time as well as by the clock. On a machine shared with other work, JMH's
 * runs of one benchmark after the other see different load; alternating and CPU time make the ratio
 * comparable between runs. Arguments: warm-up pairs (default 30), measured pairs (default 120),
 * pairs per block for the spread (default 20).
 */
public final class InterleavedRatio {
  private InterleavedRatio() {}

  public static void main(String[] args) throws Exception {
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 120;
    int block = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    LogPipelineBenchmark bench = new LogPipelineBenchmark();
    bench.generate();
    long sink = 0;
    for (int i = 0; i < warmup; i++) {
      sink += bench.cloudTrailPipeline() + bench.cloudTrailGunzipTokenize();
    }
    long[] pipelineCpu = new long[pairs];
    long[] ceilingCpu = new long[pairs];
    long[] pipelineWall = new long[pairs];
    long[] ceilingWall = new long[pairs];
    for (int i = 0; i < pairs; i++) {
      // Alternate which goes first, so neither always follows the other's garbage.
      boolean pipelineFirst = i % 2 == 0;
      for (int k = 0; k < 2; k++) {
        boolean pipeline = (k == 0) == pipelineFirst;
        long cpu = threads.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        sink += pipeline ? bench.cloudTrailPipeline() : bench.cloudTrailGunzipTokenize();
        wall = System.nanoTime() - wall;
        cpu = threads.getCurrentThreadCpuTime() - cpu;
        (pipeline ? pipelineCpu : ceilingCpu)[i] = cpu;
        (pipeline ? pipelineWall : ceilingWall)[i] = wall;
      }
    }
    double mb = LogPipelineBenchmark.uncompressedSize(bench.cloudTrailGz) / 1e6;
    System.out.printf(
        Locale.ROOT,
        "pairs %d (after %d warm-up), %.1f MB uncompressed per op, checksum %d%n",
        pairs,
        warmup,
        mb,
        sink);
    report("CPU time ", pipelineCpu, ceilingCpu, block, mb);
    report("wall time", pipelineWall, ceilingWall, block, mb);
  }

  private static void report(String clock, long[] pipeline, long[] ceiling, int block, double mb) {
    double p = median(pipeline, 0, pipeline.length);
    double c = median(ceiling, 0, ceiling.length);
    int blocks = pipeline.length / block;
    double[] ratios = new double[blocks];
    for (int b = 0; b < blocks; b++) {
      ratios[b] =
          median(ceiling, b * block, (b + 1) * block)
              / median(pipeline, b * block, (b + 1) * block);
    }
    Arrays.sort(ratios);
    System.out.printf(
        Locale.ROOT,
        "%s: pipeline %.1f ms/op (%.0f MB/s), ceiling %.1f ms/op (%.0f MB/s), RATIO %.3f;"
            + " per block of %d pairs: min %.3f max %.3f%n",
        clock,
        p / 1e6,
        mb / (p / 1e9),
        c / 1e6,
        mb / (c / 1e9),
        c / p,
        block,
        ratios[0],
        ratios[blocks - 1]);
  }

  private static double median(long[] values, int from, int to) {
    long[] sorted = Arrays.copyOfRange(values, from, to);
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }
}
