package dev.vigil.ingester.detect;

import dev.vigil.core.alerts.Alert;
import java.io.IOException;

/** Where the stream's alerts go: {@code vigil-alerts}, shared with the operator's engine. */
public interface AlertStore {
  /** Whether the alert's rule already has an open (ACTIVE or ACKNOWLEDGED) alert for its key. */
  boolean hasOpen(Alert alert) throws IOException;

  /** Creates the alert under its deterministic id; false when that id already exists. */
  boolean create(Alert alert) throws IOException;
}
