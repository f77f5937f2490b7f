package dev.vigil.core.parse;

/**
 * Where the bytes being parsed came from: an S3 object, or a local file (bucket null, key = path).
 * Carried into every document as {@code vigil.s3.*} and used in error messages.
 */
public record ObjectRef(String bucket, String key) {
  public ObjectRef {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("an object needs a key");
    }
  }

  public static ObjectRef file(String path) {
    return new ObjectRef(null, path);
  }

  @Override
  public String toString() {
    return bucket == null ? key : "s3://" + bucket + "/" + key;
  }
}
