package dev.vigil.ingester.opensearch;

import java.io.IOException;

/** Sends one {@code _bulk} body; an IOException means OpenSearch could not be reached. */
public interface BulkTransport {
  /**
   * POSTs {@code ndjson} to {@code _bulk}, asking only for {@code errors} and each item's {@code
   * status} and {@code error}.
   */
  Reply bulk(byte[] ndjson) throws IOException;

  record Reply(int status, byte[] body) {}
}
