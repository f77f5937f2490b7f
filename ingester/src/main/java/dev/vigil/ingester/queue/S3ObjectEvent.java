package dev.vigil.ingester.queue;

import dev.vigil.core.parse.ObjectRef;

/** One created object named by a notification; {@code key} is already URL-decoded. */
public record S3ObjectEvent(String bucket, String key, long size) {
  public ObjectRef ref() {
    return new ObjectRef(bucket, key);
  }
}
