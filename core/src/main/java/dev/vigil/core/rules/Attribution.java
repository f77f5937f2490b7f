package dev.vigil.core.rules;

import java.util.List;

/**
 * Where a converted rule came from; the Detection Rule License requires crediting a Sigma rule's
 * authors wherever it is shown.
 */
public record Attribution(
    String title, String id, String author, List<String> references, String license) {
  public Attribution {
    references = references == null ? List.of() : List.copyOf(references);
  }

  /** One line naming the rule, its authors and the license, for output next to the rule. */
  public String line() {
    return "Sigma rule \""
        + title
        + "\""
        + (id == null ? "" : " (" + id + ")")
        + " by "
        + (author == null ? "unknown author" : author)
        + ", "
        + license;
  }
}
