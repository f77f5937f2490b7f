package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The README's first command: the demo brings every local part up, says where, and stops them. */
class DemoCommandIT {
  @Test
  void demoOnceStartsEveryPartAndPrintsWhereItListens() throws Exception {
    StringWriter output = new StringWriter();
    CommandLine cli = new CommandLine(new VigilCommand());
    cli.setOut(new PrintWriter(output, true));

    int exit = cli.execute("demo", "--once", "--logs", "target/demo-logs");

    String printed = output.toString();
    assertThat(exit).as(printed).isZero();
    assertThat(printed)
        .contains("OpenSearch             http://127.0.0.1:")
        .contains("AWS emulator (moto)    http://127.0.0.1:")
        .contains("Kubernetes API server  https://127.0.0.1:")
        .contains("stopped every part");

    // Once stopped, OpenSearch no longer answers where it said it listened.
    Matcher url = Pattern.compile("OpenSearch +(http://\\S+)").matcher(printed);
    assertThat(url.find()).isTrue();
    HttpClient http = HttpClient.newHttpClient();
    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    http.send(
                        HttpRequest.newBuilder(URI.create(url.group(1))).build(),
                        HttpResponse.BodyHandlers.discarding())))
        .isInstanceOf(java.io.IOException.class);
  }
}
