package dev.vigil.operator.opensearch;

import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * Everything needed to send requests to one OpenSearch cluster: resolved from an
 * OpenSearchConnection and its Secrets. {@code sslContext} is null for the JVM default trust store.
 */
public record OpenSearchEndpoint(
    URI uri,
    RequestAuth auth,
    SSLContext sslContext,
    boolean skipHostnameVerification,
    Duration timeout) {}
