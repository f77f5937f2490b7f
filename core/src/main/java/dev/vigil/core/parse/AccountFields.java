package dev.vigil.core.parse;

import dev.vigil.core.ingest.AccountDirectory;
import java.util.Map;

/**
 * {@code vigil.account.*} for parsers that write documents' bytes themselves: the same fields
 * {@link DocumentBuilder#finish} writes from an {@link AccountDirectory.Account}.
 */
public final class AccountFields {
  private AccountFields() {}

  /** Writes {@code ,"account":{"ou_path":…,"tags":{…}}} inside the open {@code vigil} object. */
  public static void vigil(RawJsonWriter out, AccountDirectory.Account account) {
    out.ascii(",\"account\":{\"ou_path\":").string(account.ouPath()).ascii(",\"tags\":{");
    boolean first = true;
    for (Map.Entry<String, String> tag : account.tags().entrySet()) {
      out.ascii(first ? "" : ",").string(tag.getKey()).ascii(":").string(tag.getValue());
      first = false;
    }
    out.ascii("}}");
  }
}
