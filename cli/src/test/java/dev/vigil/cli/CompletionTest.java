package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil generate-completion} prints a bash completion script (picocli's); run in a real
 * bash, it completes subcommands and their options.
 */
class CompletionTest {
  @TempDir Path dir;

  @Test
  void bashCompletesSubcommandsAndOptions() throws Exception {
    StringWriter script = new StringWriter();
    var cli = VigilCommand.commandLine();
    cli.setOut(new PrintWriter(script, true));
    assertThat(cli.execute("generate-completion")).isZero();
    Path file = Files.writeString(dir.resolve("vigil.bash"), script.toString());

    assertThat(complete(file, "vigil", "sta")).isEqualTo("status");
    assertThat(complete(file, "vigil", "status", "--out")).isEqualTo("--output");
    assertThat(complete(file, "vigil", "gen")).isEqualTo("generate-completion");
    assertThat(complete(file, "vigil", "alerts", "sh")).isEqualTo("show");
    assertThat(complete(file, "vigil", "alerts", "list", "--acc")).isEqualTo("--account");
  }

  /** What bash offers for the last word of {@code words}, one candidate per line. */
  private String complete(Path script, String... words) throws Exception {
    String line = String.join(" ", words);
    String bash =
        "source "
            + script
            + "; COMP_WORDS=("
            + line
            + "); COMP_CWORD="
            + (words.length - 1)
            + "; COMP_LINE='"
            + line
            + "'; COMP_POINT=${#COMP_LINE}; _complete_vigil; printf '%s\\n' \"${COMPREPLY[@]}\"";
    // stderr is left out: outside an interactive completion bash warns that compopt cannot run.
    Process process =
        new ProcessBuilder("bash", "-c", bash)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(out).isZero();
    return out.strip();
  }
}
