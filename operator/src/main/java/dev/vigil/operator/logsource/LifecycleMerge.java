package dev.vigil.operator.logsource;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;

/**
 * Merges Vigil's archive rule (Glacier after N days, expire after M) into a bucket's lifecycle
 * configuration, keeping every other rule exactly as found; Vigil's rule is found by its id.
 */
public final class LifecycleMerge {
  private LifecycleMerge() {}

  /** Vigil's rule for {@code prefix}, or null when neither transition nor expiry is asked for. */
  public static LifecycleRule desired(
      String id, String prefix, Integer glacierAfterDays, Integer expireAfterDays) {
    if (glacierAfterDays == null && expireAfterDays == null) {
      return null;
    }
    LifecycleRule.Builder rule =
        LifecycleRule.builder()
            .id(id)
            .status(ExpirationStatus.ENABLED)
            .filter(f -> f.prefix(prefix == null ? "" : prefix));
    if (glacierAfterDays != null) {
      rule.transitions(t -> t.days(glacierAfterDays).storageClass(TransitionStorageClass.GLACIER));
    }
    if (expireAfterDays != null) {
      rule.expiration(e -> e.days(expireAfterDays));
    }
    return rule.build();
  }

  /**
   * @param current the bucket's rules (empty when it has no lifecycle configuration)
   * @param wanted Vigil's rule, or null to remove it
   */
  public static ConfigChange<List<LifecycleRule>> merge(
      List<LifecycleRule> current, LifecycleRule wanted, String id) {
    List<LifecycleRule> rules = new ArrayList<>();
    LifecycleRule existing = null;
    for (LifecycleRule rule : current) {
      if (id.equals(rule.id())) {
        existing = rule;
      } else {
        rules.add(rule);
      }
    }
    if (wanted == null ? existing == null : same(existing, wanted)) {
      return new ConfigChange.Unchanged<>();
    }
    if (wanted != null) {
      rules.add(wanted);
    }
    return new ConfigChange.Write<>(rules);
  }

  /** Compares what matters, not how the service echoes it (e.g. empty lists vs absent ones). */
  private static boolean same(LifecycleRule a, LifecycleRule b) {
    return a != null
        && a.status() == b.status()
        && prefix(a).equals(prefix(b))
        && days(a.transitions()).equals(days(b.transitions()))
        && java.util.Objects.equals(expiryDays(a), expiryDays(b));
  }

  private static Integer expiryDays(LifecycleRule rule) {
    return rule.expiration() == null ? null : rule.expiration().days();
  }

  private static String prefix(LifecycleRule rule) {
    if (rule.filter() != null && rule.filter().prefix() != null) {
      return rule.filter().prefix();
    }
    return rule.prefix() == null ? "" : rule.prefix();
  }

  private static List<String> days(
      List<software.amazon.awssdk.services.s3.model.Transition> transitions) {
    return transitions.stream().map(t -> t.days() + ":" + t.storageClassAsString()).toList();
  }
}
