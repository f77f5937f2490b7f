package dev.vigil.core.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What AWS Organizations says about each account: its name, the path of organizational units it
 * sits in ({@code Root/Workloads/Prod}) and its tags. The operator writes it ({@link #toJson}) into
 * the ConfigMap {@link #CONFIG_MAP} under {@link #FILE}; ingesters read it ({@link #parse}) and
 * write {@code cloud.account.name}, {@code vigil.account.ou_path} and {@code vigil.account.tags} on
 * every document whose account it lists. An account it does not list gets none of them. S3 access
 * log requesters' accounts are looked up too ({@code vigil.requester.account.*}).
 *
 * <p>The file: {@code {"refreshedAt": "…", "accounts": {"111122223333": {"name": "…", "ouPath":
 * "Root/…", "tags": {"env": "prod"}}}}}.
 */
public final class AccountDirectory {
  /** The ConfigMap, one per namespace with LogSources, that the operator keeps the file in. */
  public static final String CONFIG_MAP = "vigil-accounts";

  /** The file's key in {@link #CONFIG_MAP}, and its name where ingesters mount it. */
  public static final String FILE = "accounts.json";

  /** Where the ingester pod mounts {@link #CONFIG_MAP}. */
  public static final String MOUNT_DIR = "/var/run/vigil/accounts";

  public static final AccountDirectory EMPTY = new AccountDirectory(Map.of(), null);

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One account; {@code ouPath} and {@code tags} may be empty, never null. */
  public record Account(String name, String ouPath, Map<String, String> tags) {
    public Account {
      tags = Collections.unmodifiableMap(new TreeMap<>(tags == null ? Map.of() : tags));
      ouPath = ouPath == null ? "" : ouPath;
    }
  }

  private final Map<String, Account> accounts;
  private final String refreshedAt;

  public AccountDirectory(Map<String, Account> accounts, String refreshedAt) {
    this.accounts = Collections.unmodifiableMap(new TreeMap<>(accounts));
    this.refreshedAt = refreshedAt;
  }

  /** The account {@code id}, or null when unknown (then nothing is added to its documents). */
  public Account find(String id) {
    return id == null ? null : accounts.get(id);
  }

  public int size() {
    return accounts.size();
  }

  public Map<String, Account> accounts() {
    return accounts;
  }

  /** When the operator last read the organization (ISO-8601), or null. */
  public String refreshedAt() {
    return refreshedAt;
  }

  /**
   * Reads the file's content.
   *
   * @throws IOException naming what is wrong, e.g. {@code accounts.111122223333.name: missing}
   */
  public static AccountDirectory parse(byte[] content) throws IOException {
    JsonNode root = JSON.readTree(content);
    if (root == null || !root.isObject()) {
      throw new IOException("not a JSON object");
    }
    JsonNode list = root.path("accounts");
    if (!list.isObject()) {
      throw new IOException("accounts: not an object of account id to account");
    }
    Map<String, Account> accounts = new LinkedHashMap<>();
    var fields = list.fields();
    while (fields.hasNext()) {
      var entry = fields.next();
      JsonNode a = entry.getValue();
      if (!a.path("name").isTextual()) {
        throw new IOException("accounts." + entry.getKey() + ".name: missing or not a string");
      }
      Map<String, String> tags = new LinkedHashMap<>();
      a.path("tags").fields().forEachRemaining(t -> tags.put(t.getKey(), t.getValue().asText()));
      accounts.put(
          entry.getKey(), new Account(a.path("name").asText(), a.path("ouPath").asText(""), tags));
    }
    return new AccountDirectory(
        accounts, root.hasNonNull("refreshedAt") ? root.path("refreshedAt").asText() : null);
  }

  /** The file's content, accounts in id order (equal directories give equal bytes). */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    if (refreshedAt != null) {
      root.put("refreshedAt", refreshedAt);
    }
    ObjectNode list = root.putObject("accounts");
    accounts.forEach(
        (id, a) -> {
          ObjectNode node = list.putObject(id).put("name", a.name()).put("ouPath", a.ouPath());
          ObjectNode tags = node.putObject("tags");
          a.tags().forEach(tags::put);
        });
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
