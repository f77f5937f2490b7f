package dev.vigil.operator.opensearch;

/**
 * A request to OpenSearch failed. {@code reason} is a CamelCase condition reason users see in
 * status: Unreachable, Unauthorized, Forbidden, TlsFailure, NotFound, Conflict, BadRequest,
 * ServerError, CredentialsUnavailable (no SigV4 credentials could be obtained).
 */
public final class OpenSearchException extends Exception {
  private final String reason;
  private final int status;

  public OpenSearchException(String reason, int status, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.status = status;
  }

  public String reason() {
    return reason;
  }

  /** HTTP status, or 0 when no response arrived. */
  public int status() {
    return status;
  }

  public boolean isNotFound() {
    return status == 404;
  }
}
