package dev.vigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.api.v1alpha1.Condition;
import dev.vigil.api.v1alpha1.ConnectionRef;
import dev.vigil.api.v1alpha1.LogReplay;
import dev.vigil.api.v1alpha1.LogReplaySpec;
import dev.vigil.api.v1alpha1.LogReplayStatus;
import dev.vigil.api.v1alpha1.LogTypeName;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil replay}: creates a LogReplay (from flags or a manifest) and, with {@code --wait},
 * follows it until its Job succeeds or fails, printing each change of phase and progress. Naming an
 * existing LogReplay without a spec follows it. The operator runs the replay; the CLI only needs to
 * reach the API server.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Backfill from S3: create a LogReplay (a Job the operator runs) that ingests the objects of a",
      "LogSource's archive or a bucket prefix whose key dates fall in --from..--to into their own",
      "index prefix, and follow it with --wait. Naming an existing LogReplay without flags follows it.",
      "Exit 0 when created (or, with --wait, succeeded), 1 when it failed, 4 on timeout."
    })
final class ReplayCommand implements Callable<Integer> {
  @Mixin KubeOptions kube;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "NAME",
      description = "Name of the LogReplay (default: the manifest's).")
  String name;

  @Option(
      names = {"-f", "--filename"},
      paramLabel = "FILE",
      description = "A LogReplay manifest to create instead of the flags below.")
  Path file;

  @Option(
      names = "--log-source",
      paramLabel = "NAME",
      description = "Replay this LogSource's archive (bucket, prefix, role, log type).")
  String logSource;

  @Option(names = "--bucket", paramLabel = "BUCKET", description = "Or replay this bucket.")
  String bucket;

  @Option(
      names = "--prefix",
      paramLabel = "PREFIX",
      description = "Only keys under this prefix (with --log-source: instead of its prefix).")
  String prefix;

  @Option(names = "--region", paramLabel = "REGION", description = "With --bucket: its region.")
  String region;

  @Option(
      names = "--role-arn",
      paramLabel = "ARN",
      description = "With --bucket: the role the replay assumes to read it.")
  String roleArn;

  @Option(names = "--from", paramLabel = "YYYY-MM-DD", description = "First day replayed.")
  String from;

  @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "Last day replayed.")
  String to;

  @Option(
      names = "--log-type",
      paramLabel = "TYPE",
      description = "Log type of the objects (default: the LogSource's, or auto).")
  LogTypeName logType;

  @Option(
      names = "--index-prefix",
      paramLabel = "PREFIX",
      description = "Index prefix of the documents (default: vigil-replay).")
  String indexPrefix;

  @Option(names = "--connection", paramLabel = "NAME", description = "OpenSearchConnection.")
  String connection;

  @Option(names = "--wait", description = "Follow the replay until it succeeds or fails.")
  boolean await;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "3600",
      description = "With --wait: how long to follow it (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description =
          "Output format: table (default: a line per change) or json (the final state, for scripts).")
  Output output;

  enum Output {
    table,
    json
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LogReplay wanted;
    try {
      wanted = fromArguments();
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return ExitCodes.USAGE;
    }
    try (KubernetesClient client = kube.client()) {
      String namespace =
          wanted != null && wanted.getMetadata().getNamespace() != null
              ? wanted.getMetadata().getNamespace()
              : kube.namespace(client);
      String replayName = wanted == null ? name : wanted.getMetadata().getName();
      var resource = client.resources(LogReplay.class).inNamespace(namespace).withName(replayName);
      if (wanted == null) {
        if (resource.get() == null) {
          err.println(
              "LogReplay "
                  + namespace
                  + "/"
                  + replayName
                  + " not found; to create it, give --log-source or --bucket, --from and --to (or -f)");
          return ExitCodes.NOT_FOUND;
        }
      } else {
        wanted.getMetadata().setNamespace(namespace);
        try {
          client.resource(wanted).create();
        } catch (KubernetesClientException e) {
          err.println("LogReplay " + namespace + "/" + replayName + " not created: " + reason(e));
          return e.getCode() == 409 ? ExitCodes.NOT_OK : ExitCodes.USAGE;
        }
        if (output == Output.table) {
          out.println("LogReplay " + namespace + "/" + replayName + " created");
          out.flush();
        }
      }
      if (!await) {
        if (output == Output.json) {
          out.println(
              JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary(resource.get())));
        }
        return ExitCodes.OK;
      }
      return follow(resource::get, out, err);
    }
  }

  private int follow(java.util.function.Supplier<LogReplay> read, PrintWriter out, PrintWriter err)
      throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(timeoutSeconds));
    String last = null;
    LogReplay current = read.get();
    while (true) {
      if (current == null) {
        err.println("the LogReplay was deleted");
        return ExitCodes.NOT_OK;
      }
      String line = line(current);
      if (output == Output.table && !Objects.equals(line, last)) {
        out.println(line);
        out.flush();
        last = line;
      }
      LogReplayStatus status = current.getStatus();
      LogReplayStatus.Phase phase = status == null ? null : status.phase;
      if (phase == LogReplayStatus.Phase.Succeeded || phase == LogReplayStatus.Phase.Failed) {
        if (output == Output.json) {
          out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary(current)));
        }
        return phase == LogReplayStatus.Phase.Succeeded ? ExitCodes.OK : ExitCodes.NOT_OK;
      }
      if (!Instant.now().isBefore(deadline)) {
        err.println(
            "not done within "
                + timeoutSeconds
                + " s (still "
                + (phase == null ? "unreported" : phase)
                + "); follow it again with: vigil replay "
                + current.getMetadata().getName()
                + " --wait");
        return ExitCodes.TIMEOUT;
      }
      Thread.sleep(1000);
      current = read.get();
    }
  }

  /** One line of what the replay is at: phase, progress, the Ready condition's word. */
  static String line(LogReplay replay) {
    LogReplayStatus status = replay.getStatus();
    if (status == null || status.phase == null) {
      return "Pending: the operator has not reported on it yet";
    }
    StringBuilder line = new StringBuilder(status.phase.name());
    if (status.progress != null && status.progress.objectsDone != null) {
      line.append(": ").append(status.progress.objectsDone).append(" objects done");
      if (status.progress.lastCompletedKey != null) {
        line.append(", through ").append(status.progress.lastCompletedKey);
      }
    }
    ready(status)
        .ifPresent(
            c ->
                line.append(" (")
                    .append(c.getReason())
                    .append(": ")
                    .append(c.getMessage())
                    .append(")"));
    return line.toString();
  }

  /** The state as {@code -o json} prints it. */
  static ObjectNode summary(LogReplay replay) {
    ObjectNode node = JSON.createObjectNode();
    node.put("namespace", replay.getMetadata().getNamespace());
    node.put("name", replay.getMetadata().getName());
    LogReplayStatus status = replay.getStatus();
    if (status != null) {
      node.put("phase", status.phase == null ? null : status.phase.name());
      node.put("job", status.jobName);
      node.put("startTime", status.startTime);
      node.put("completionTime", status.completionTime);
      if (status.progress != null) {
        node.set("progress", JSON.valueToTree(status.progress));
      }
      ready(status)
          .ifPresent(
              c -> {
                node.put("ready", c.getStatus());
                node.put("reason", c.getReason());
                node.put("message", c.getMessage());
              });
    }
    return node;
  }

  private static java.util.Optional<Condition> ready(LogReplayStatus status) {
    return status.conditions == null
        ? java.util.Optional.empty()
        : status.conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst();
  }

  /** The LogReplay the arguments ask for, or null when they only name one to follow. */
  private LogReplay fromArguments() throws java.io.IOException {
    boolean flags =
        logSource != null
            || bucket != null
            || from != null
            || to != null
            || prefix != null
            || logType != null
            || indexPrefix != null
            || connection != null
            || region != null
            || roleArn != null;
    if (file != null) {
      if (flags) {
        throw new IllegalArgumentException("-f: give the spec in the file, not as flags");
      }
      LogReplay replay = Serialization.unmarshal(Files.readString(file), LogReplay.class);
      if (!"LogReplay".equals(replay.getKind()) || replay.getSpec() == null) {
        throw new IllegalArgumentException(file + ": not a LogReplay manifest with a spec");
      }
      if (name != null) {
        replay.getMetadata().setName(name);
      }
      if (replay.getMetadata().getName() == null) {
        throw new IllegalArgumentException(file + ": metadata.name missing (or give NAME)");
      }
      return replay;
    }
    if (name == null) {
      throw new IllegalArgumentException("give the LogReplay's NAME (or -f FILE)");
    }
    if (!flags) {
      return null;
    }
    if ((logSource == null) == (bucket == null)) {
      throw new IllegalArgumentException("give exactly one of --log-source and --bucket");
    }
    if (from == null || to == null) {
      throw new IllegalArgumentException("--from and --to are required (YYYY-MM-DD)");
    }
    LogReplay replay = new LogReplay();
    replay.getMetadata().setName(name);
    LogReplaySpec s = new LogReplaySpec();
    if (logSource != null) {
      if (region != null || roleArn != null) {
        throw new IllegalArgumentException(
            "--region and --role-arn go with --bucket; a LogSource brings its own");
      }
      s.logSourceRef = new LogReplaySpec.LocalRef(logSource);
    } else {
      s.s3 = new LogReplaySpec.Location();
      s.s3.bucket = bucket;
      if (region != null || roleArn != null) {
        s.aws = new LogReplaySpec.Aws();
        s.aws.region = region;
        s.aws.roleArn = roleArn;
      }
    }
    s.prefix = prefix;
    s.from = from;
    s.to = to;
    s.logType = logType;
    s.indexPrefix = indexPrefix;
    s.connectionRef = connection == null ? null : new ConnectionRef(connection);
    replay.setSpec(s);
    return replay;
  }

  /** The API server's reason (a schema or CEL rule names the field). */
  private static String reason(KubernetesClientException e) {
    return e.getStatus() != null && e.getStatus().getMessage() != null
        ? e.getStatus().getMessage()
        : e.getMessage();
  }
}
