package dev.vigil.operator.detection;

import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.operator.common.InvalidSpecException;
import dev.vigil.operator.connection.EndpointResolver;
import dev.vigil.operator.opensearch.OpenSearchRest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link OpenSearchRest} per connection, shared by all its rules: an HTTP client holds a
 * selector thread, so a thousand rules must not make a thousand. Resolved again when the
 * connection's spec changes, and after {@code maxAge} so rotated Secrets are picked up.
 */
public final class ConnectionClients {
  private record Cached(long generation, Instant resolved, OpenSearchRest rest) {}

  private final EndpointResolver endpoints;
  private final Clock clock;
  private final Duration maxAge;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public ConnectionClients(EndpointResolver endpoints, Clock clock, Duration maxAge) {
    this.endpoints = endpoints;
    this.clock = clock;
    this.maxAge = maxAge;
  }

  public OpenSearchRest get(OpenSearchConnection connection) throws InvalidSpecException {
    String uid = connection.getMetadata().getUid();
    long generation =
        connection.getMetadata().getGeneration() == null
            ? 0
            : connection.getMetadata().getGeneration();
    Instant now = clock.instant();
    Cached cached = cache.get(uid);
    if (cached != null
        && cached.generation() == generation
        && cached.resolved().plus(maxAge).isAfter(now)) {
      return cached.rest();
    }
    OpenSearchRest rest = new OpenSearchRest(endpoints.resolve(connection));
    cache.put(uid, new Cached(generation, now, rest));
    return rest;
  }
}
