package dev.vigil.ingester.scan;

import dev.vigil.core.parse.KeyLayouts;
import dev.vigil.ingester.source.ObjectStore;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * The folders under a prefix whose children are {@code YYYY/} years: the roots of the {@code
 * YYYY/MM/DD/} layout of AWS log delivery ({@code AWSLogs/<account>/<service>/<region>/}, also
 * under an organization id). Found with delimiter listings, one LIST per folder walked, so a scan
 * then lists only the day folders it needs instead of the whole prefix.
 */
final class DateRoots {
  /** AWSLogs/o-org/account/service/region/ is 5 levels below a bucket root; one spare. */
  static final int MAX_DEPTH = 6;

  private DateRoots() {}

  /**
   * @param skip folders never walked (Vigil's own checkpoints and dead letters)
   * @return the date roots in key order; empty when the keys carry no {@code YYYY/} folder
   */
  static List<String> find(ObjectStore store, String bucket, String prefix, Predicate<String> skip)
      throws IOException {
    List<String> roots = new ArrayList<>();
    Deque<String> folders = new ArrayDeque<>();
    Deque<Integer> depths = new ArrayDeque<>();
    folders.add(prefix);
    depths.add(0);
    while (!folders.isEmpty()) {
      String folder = folders.poll();
      int depth = depths.poll();
      List<String> children = store.folders(bucket, folder);
      boolean canBeRoot = folder.isEmpty() || folder.endsWith("/");
      if (canBeRoot && children.stream().anyMatch(c -> KeyLayouts.isYearFolder(folder, c))) {
        roots.add(folder);
        continue;
      }
      if (depth < MAX_DEPTH) {
        for (String child : children) {
          if (!skip.test(child)) {
            folders.add(child);
            depths.add(depth + 1);
          }
        }
      }
    }
    roots.sort(null);
    return roots;
  }
}
