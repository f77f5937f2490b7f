package dev.vigil.ingester.accounts;

import dev.vigil.core.ingest.AccountDirectory;
import dev.vigil.core.ingest.IngesterKeys;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The account directory file ({@code vigil.ingester.accounts.file}), as it is now: looked at once
 * per object parsed and re-read when it changed (another file, size or modification time — a
 * ConfigMap volume swaps the file atomically), so an operator refresh reaches documents without a
 * restart. A missing file is an empty directory; a file that cannot be read keeps the last good
 * directory and says so in the log. Never fails a document.
 */
public final class AccountsFile implements Supplier<AccountDirectory> {
  private static final Logger LOG = Logger.getLogger(AccountsFile.class);

  private final Path path;
  private Object seen;
  private volatile AccountDirectory current = AccountDirectory.EMPTY;

  private AccountsFile(Path path) {
    this.path = path;
  }

  /** Null when no file is configured (then the parsers skip account fields altogether). */
  public static AccountsFile open(java.util.Optional<String> file, MeterRegistry registry) {
    if (file.isEmpty()) {
      return null;
    }
    AccountsFile accounts = new AccountsFile(Path.of(file.get()));
    accounts.get();
    Gauge.builder("vigil.ingester.accounts", accounts, a -> a.current.size())
        .description("Accounts in the account directory the ingester enriches documents from")
        .register(registry);
    return accounts;
  }

  @Override
  public synchronized AccountDirectory get() {
    Object version;
    try {
      BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
      version = java.util.List.of(String.valueOf(a.fileKey()), a.size(), a.lastModifiedTime());
    } catch (NoSuchFileException e) {
      version = "missing";
    } catch (IOException e) {
      version = "unreadable: " + e.getMessage();
    }
    if (!Objects.equals(version, seen)) {
      seen = version;
      current = read();
    }
    return current;
  }

  private AccountDirectory read() {
    try {
      AccountDirectory read = AccountDirectory.parse(Files.readAllBytes(path));
      LOG.infof(
          "account directory %s: %d accounts (refreshed %s)",
          path, read.size(), read.refreshedAt());
      return read;
    } catch (NoSuchFileException e) {
      LOG.infof("account directory %s does not exist (yet): no account names", path);
      return AccountDirectory.EMPTY;
    } catch (IOException e) {
      LOG.errorf(
          "%s %s cannot be read, the last one read is kept: %s",
          IngesterKeys.ACCOUNTS_FILE, path, e.getMessage());
      return current;
    }
  }
}
