package dev.vigil.operator.opensearch;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Adds authentication to a request about to be sent. */
@FunctionalInterface
public interface RequestAuth {
  /**
   * @param body the exact bytes that will be sent (SigV4 signs a hash of them)
   * @throws CredentialsUnavailable when no credentials could be obtained to sign with
   */
  void authenticate(HttpRequest.Builder request, String method, java.net.URI uri, byte[] body);

  /** The credentials to sign with could not be obtained; the message names the failed call. */
  final class CredentialsUnavailable extends RuntimeException {
    public CredentialsUnavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  RequestAuth NONE = (request, method, uri, body) -> {};

  static RequestAuth basic(String username, String password) {
    String token =
        Base64.getEncoder()
            .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    return (request, method, uri, body) -> request.header("Authorization", "Basic " + token);
  }
}
