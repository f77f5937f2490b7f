package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
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

/**
 * The README's first command, non-interactively: {@code vigil demo --once} brings up the real
 * parts, the operator and its ingesters — as pods on the real node (as root, as CI runs) or as
 * processes ({@code --processes}, what non-root users get) — applies samples/demo, uploads
 * samples/demo-logs and exits 0 only once every log type's documents are searchable and every demo
 * rule alerted (through the webhook too); then nothing it started is left running.
 */
class DemoCommandIT {
  @Test
  void demoOnceRunsVigilAsPodsOnTheNodeAndStopsEverythingItStarted() throws Exception {
    String printed = demoOnce("node");
    assertThat(printed)
        .contains("the operator and the ingesters run as pods on the node vigil-node")
        .containsPattern("pod +vigil-system/vigil-operator-\\S+ +running, ready")
        .containsPattern("pod +vigil-demo/vigil-ingester-cloudtrail-\\S+ +running, ready")
        .doesNotContain("no kubelet runs here");
    assertEverythingHappenedAndStopped(printed);
    // The node is gone with the demo: no bridge, no pods' processes.
    Process link = new ProcessBuilder("ip", "link", "show", "vigil0").start();
    assertThat(link.waitFor()).isNotZero();
  }

  @Test
  void demoOnceWithProcessesRunsTheOperatorAndIngestersAsLocalProcesses() throws Exception {
    String printed = demoOnce("processes", "--processes");
    assertThat(printed).contains("no kubelet runs here").contains("--processes was given");
    assertEverythingHappenedAndStopped(printed);
  }

  private static String demoOnce(String name, String... more) {
    StringWriter output = new StringWriter();
    CommandLine cli = VigilCommand.commandLine();
    cli.setOut(new PrintWriter(output, true));
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "demo",
                "--once",
                "--timeout",
                "PT8M",
                "--logs",
                "target/demo-" + name + "/logs",
                "--state",
                "target/demo-" + name));
    args.addAll(java.util.List.of(more));
    int exit = cli.execute(args.toArray(String[]::new));
    String printed = output.toString();
    assertThat(exit).as(printed).isZero();
    return printed;
  }

  private static void assertEverythingHappenedAndStopped(String printed) throws Exception {
    assertThat(printed)
        .contains("Ready     OpenSearchConnection/default")
        .contains("Ready     LogSource/cloudtrail")
        .contains("Ready     LogSource/vpcflow")
        .contains("Ready     LogSource/waf")
        .contains("Ready     LogSource/securityhub")
        // Exactly the documents the demo logs hold (parsed by hand from samples/demo-logs).
        .containsPattern("ingested  cloudtrail +31 documents in vigil-cloudtrail-")
        .containsPattern("ingested  vpcflow +66 documents in vigil-vpcflow-")
        .containsPattern("ingested  waf +10 documents in vigil-waf-")
        .containsPattern("ingested  securityhub +2 documents in vigil-securityhub-")
        // The findings' latest state (its count may trail the history's by one refresh).
        .containsPattern("vigil-latest-securityhub +\\d+ findings \\(latest state\\)")
        // The built-in engine runs every demo rule over what was ingested and tells the webhook.
        .contains("ALERT     rule cloudtrail-tampering  severity 1  state ACTIVE")
        .contains("ALERT     rule root-account-usage  severity 1  state ACTIVE")
        .contains("ALERT     rule s3-access-denied-spike  severity 3  state ACTIVE")
        .contains("ALERT     rule vpcflow-port-scan  severity 3  state ACTIVE")
        .contains("ALERT     rule waf-sqli-xss-blocked  severity 3  state ACTIVE")
        .contains("alert from rule cloudtrail-tampering, severity 1, state ACTIVE")
        .contains("kubeconfig")
        .contains("stopped every process the demo started");

    // Once stopped, OpenSearch and the webhook no longer answer where the demo said they listened.
    for (String part :
        new String[] {"OpenSearch +(http://\\S+)", "webhook receiver +(http://\\S+)"}) {
      Matcher url = Pattern.compile(part).matcher(printed);
      assertThat(url.find()).as(part).isTrue();
      assertThat(
              catchThrowable(
                  () ->
                      HttpClient.newHttpClient()
                          .send(
                              HttpRequest.newBuilder(URI.create(url.group(1))).build(),
                              HttpResponse.BodyHandlers.discarding())))
          .isInstanceOf(IOException.class);
    }
    // No ingester or operator process outlives the demo.
    assertThat(
            ProcessHandle.current()
                .descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("quarkus-run.jar"))
                .filter(ProcessHandle::isAlive)
                .toList())
        .isEmpty();
  }
}
