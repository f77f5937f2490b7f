package dev.vigil.operator.snapshot;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** OpenSearch-style index wildcards ({@code vigil-*}) matched in Java. */
final class Globs {
  private Globs() {}

  static Pattern compile(String glob) {
    return Pattern.compile(
        Arrays.stream(glob.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*")));
  }

  static boolean matchesAny(String name, List<String> globs) {
    return globs.stream().anyMatch(g -> compile(g.trim()).matcher(name).matches());
  }
}
