package dev.vigil.operator.logsource;

import dev.vigil.core.ingest.AccountDirectory;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the account directory from AWS Organizations: ListAccounts for the ACTIVE accounts' names,
 * a walk of the unit tree from each root (ListRoots, then ListOrganizationalUnitsForParent and
 * ListAccountsForParent per unit) for each account's path ({@code Root/Workloads/Prod}), and
 * ListTagsForResource per account. The walk costs two listings per unit instead of a ListParents
 * and DescribeOrganizationalUnit chain per account.
 */
final class AccountDirectoryReader {
  private AccountDirectoryReader() {}

  static AccountDirectory read(OrganizationsApi api, Instant now) {
    Map<String, String> paths = new HashMap<>();
    record Place(String id, String path) {}
    Deque<Place> parents = new ArrayDeque<>();
    api.roots().forEach(root -> parents.push(new Place(root.id(), root.name())));
    while (!parents.isEmpty()) {
      Place parent = parents.pop();
      api.accountsIn(parent.id()).forEach(account -> paths.put(account, parent.path()));
      api.unitsIn(parent.id())
          .forEach(unit -> parents.push(new Place(unit.id(), parent.path() + "/" + unit.name())));
    }
    Map<String, AccountDirectory.Account> accounts = new TreeMap<>();
    for (OrganizationsApi.Account account : api.activeAccounts()) {
      accounts.put(
          account.id(),
          new AccountDirectory.Account(
              account.name(), paths.getOrDefault(account.id(), ""), api.tags(account.id())));
    }
    return new AccountDirectory(accounts, now.toString());
  }
}
