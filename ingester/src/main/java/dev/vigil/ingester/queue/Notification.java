package dev.vigil.ingester.queue;

import java.util.List;

/** What an SQS message tells the ingester to do. */
public sealed interface Notification {
  /** Objects were created: ingest each. */
  record ObjectsCreated(List<S3ObjectEvent> objects) implements Notification {
    public ObjectsCreated {
      objects = List.copyOf(objects);
    }
  }

  /** The {@code s3:TestEvent} S3 sends when a notification is configured: acknowledge only. */
  record TestEvent() implements Notification {}

  /** A valid S3 notification about something else (a removal, a restore...): acknowledge only. */
  record Ignored(String reason) implements Notification {}

  /** Not an S3 notification in any form the ingester knows: dead-lettered with the reason. */
  record Unrecognized(String reason) implements Notification {}
}
