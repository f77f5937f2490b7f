package dev.vigil.ingester.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.ingest.AccountDirectory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The account directory file as the ingester sees it: absent is empty, a swapped-in file is read on
 * the next look, a broken one keeps the last good directory, and unset configures nothing.
 */
class AccountsFileTest {
  @TempDir Path dir;

  private void publish(String name) throws Exception {
    AccountDirectory directory =
        new AccountDirectory(
            Map.of("111122223333", new AccountDirectory.Account(name, "Root", Map.of())), null);
    Path next = Files.writeString(dir.resolve("next"), directory.toJson());
    Files.move(
        next,
        dir.resolve("accounts.json"),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void aMissingFileIsEmptyAndEachNewFileIsReadOnTheNextLook() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AccountsFile file =
        AccountsFile.open(Optional.of(dir.resolve("accounts.json").toString()), registry);

    assertThat(file.get().size()).isZero();
    publish("first");
    assertThat(file.get().find("111122223333").name()).isEqualTo("first");
    publish("second");
    assertThat(file.get().find("111122223333").name()).isEqualTo("second");
    assertThat(registry.get("vigil.ingester.accounts").gauge().value()).isEqualTo(1);
  }

  @Test
  void aBrokenFileKeepsTheLastGoodDirectory() throws Exception {
    AccountsFile file =
        AccountsFile.open(
            Optional.of(dir.resolve("accounts.json").toString()), new SimpleMeterRegistry());
    publish("good");
    assertThat(file.get().find("111122223333")).isNotNull();

    Files.writeString(dir.resolve("accounts.json"), "{\"accounts\": [truncated");

    assertThat(file.get().find("111122223333").name()).isEqualTo("good");
  }

  @Test
  void noFileConfiguredIsNoEnrichment() {
    assertThat(AccountsFile.open(Optional.empty(), new SimpleMeterRegistry())).isNull();
  }
}
