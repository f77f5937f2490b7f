package dev.vigil.testing;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * What a {@link SigV4VerifyingProxy} knows about access keys — the part IAM and STS play for an AWS
 * service: the secret that signed, and for session credentials their token and expiry.
 */
@FunctionalInterface
public interface SigV4Keys {
  /**
   * @param sessionToken null for a long-term key
   * @param expiration null for a long-term key
   */
  record Key(String secretAccessKey, String sessionToken, Instant expiration) {}

  Optional<Key> find(String accessKeyId);

  /** Long-term keys the test made up (an IAM user's), valid until the test ends. */
  static SigV4Keys of(AwsCredentials... longTerm) {
    Map<String, Key> keys =
        Arrays.stream(longTerm)
            .collect(
                Collectors.toMap(
                    AwsCredentials::accessKeyId,
                    c -> new Key(c.secretAccessKey(), null, null),
                    (a, b) -> a));
    return id -> Optional.ofNullable(keys.get(id));
  }
}
