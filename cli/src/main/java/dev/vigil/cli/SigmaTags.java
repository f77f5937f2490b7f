package dev.vigil.cli;

import dev.vigil.api.v1alpha1.AttackTactic;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Sigma rule's tags split into ATT&amp;CK entries for {@code spec.mitre} and the rest. Sigma
 * lists tactics and techniques side by side without saying which technique goes with which tactic,
 * so each technique is paired with every tactic the rule names (what the rule states); a technique
 * without any tactic tag stays a plain tag, as do groups, software and other namespaces.
 */
record SigmaTags(List<Entry> mitre, List<String> other) {
  private static final Pattern TECHNIQUE = Pattern.compile("t[0-9]{4}(\\.[0-9]{3})?");

  record Entry(AttackTactic tactic, String technique) {}

  static SigmaTags of(List<String> tags) {
    List<AttackTactic> tactics = new ArrayList<>();
    List<String> techniques = new ArrayList<>();
    List<String> other = new ArrayList<>();
    for (String tag : tags) {
      String lower = tag.toLowerCase(Locale.ROOT);
      String name = lower.startsWith("attack.") ? lower.substring("attack.".length()) : null;
      Optional<AttackTactic> tactic =
          name == null ? Optional.empty() : AttackTactic.bySigmaName(name);
      if (tactic.isPresent()) {
        tactics.add(tactic.get());
      } else if (name != null && TECHNIQUE.matcher(name).matches()) {
        techniques.add(name.toUpperCase(Locale.ROOT));
      } else {
        other.add(tag);
      }
    }
    List<Entry> mitre = new ArrayList<>();
    if (tactics.isEmpty()) {
      techniques.forEach(t -> other.add("attack." + t.toLowerCase(Locale.ROOT)));
    }
    for (AttackTactic tactic : tactics) {
      if (techniques.isEmpty()) {
        mitre.add(new Entry(tactic, null));
      }
      techniques.forEach(t -> mitre.add(new Entry(tactic, t)));
    }
    return new SigmaTags(List.copyOf(mitre), List.copyOf(other));
  }
}
