package dev.vigil.cli;

import io.fabric8.kubernetes.client.KubernetesClientException;
import picocli.CommandLine;

/**
 * vigil's exit codes, one meaning each, so scripts can tell a negative answer from a broken call
 * (listed in {@code vigil --help} and docs/cli.md).
 */
final class ExitCodes {
  /** Done; the answer is yes (everything Ready, every test passed, every manifest valid). */
  static final int OK = 0;

  /** The answer is no: something is not Ready, a test failed, a manifest is invalid. */
  static final int NOT_OK = 1;

  /** The command line is wrong (picocli's usage error). */
  static final int USAGE = CommandLine.ExitCode.USAGE;

  /**
   * The Kubernetes API server (or, for {@code alerts}, OpenSearch) could not be reached or refused
   * the request.
   */
  static final int UNREACHABLE = 3;

  /** Waited for the operator's answer and got none in time. */
  static final int TIMEOUT = 4;

  /** A resource or input named on the command line does not exist or cannot be read. */
  static final int NOT_FOUND = 5;

  /** Something else went wrong (a bug or an unexpected environment); the message says what. */
  static final int ERROR = 6;

  static final String HELP_LINE_1 =
      "Exit codes: 0 OK, 1 not OK (not Ready, test failed, invalid), 2 usage error, 3 Kubernetes (or";
  static final String HELP_LINE_2 =
      "OpenSearch) unreachable or refused, 4 timed out waiting for the operator, 5 not found or"
          + " unreadable, 6 error.";

  private ExitCodes() {}

  /** The exit code of an exception that escaped a command. */
  static int of(Throwable e) {
    if (e instanceof CommandLine.ParameterException) {
      return USAGE; // a value checked inside a command (e.g. parse --type)
    }
    return e instanceof KubernetesClientException ? UNREACHABLE : ERROR;
  }
}
