package dev.vigil.operator.logsource;

import dev.vigil.api.v1alpha1.LogSourceStatus.AccountResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which member accounts of a LogSource changed between passes: became not ready (or failed
 * differently) or recovered. The operator tells each change once, as an Event, instead of every
 * pass — with a thousand accounts, per-pass Events would flood the namespace. Kept in memory per
 * LogSource uid: after a restart each not-ready account is told once more.
 */
final class AccountTransitions {
  /** What changed in one pass. */
  record Changes(List<AccountResult> notReady, List<String> recovered) {}

  private final Map<String, Map<String, String>> lastNotReady = new ConcurrentHashMap<>();

  Changes pass(String uid, List<AccountResult> results) {
    Map<String, String> before = lastNotReady.getOrDefault(uid, Map.of());
    Map<String, String> now = new HashMap<>();
    List<AccountResult> newlyNotReady = new ArrayList<>();
    for (AccountResult r : results) {
      if (!r.ready) {
        now.put(r.accountId, r.message);
        if (!r.message.equals(before.get(r.accountId))) {
          newlyNotReady.add(r);
        }
      }
    }
    List<String> recovered = new ArrayList<>();
    for (AccountResult r : results) {
      if (r.ready && before.containsKey(r.accountId)) {
        recovered.add(r.accountId);
      }
    }
    lastNotReady.put(uid, now);
    return new Changes(newlyNotReady, recovered);
  }

  void forget(String uid) {
    lastNotReady.remove(uid);
  }
}
