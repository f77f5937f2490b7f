package dev.vigil.ingester.support;

import dev.vigil.ingester.source.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/** S3 in a map, ordered by bucket and key like a listing. */
public final class MemoryObjectStore implements ObjectStore {
  private final ConcurrentSkipListMap<String, byte[]> objects = new ConcurrentSkipListMap<>();

  public MemoryObjectStore put(String bucket, String key, byte[] content) {
    objects.put(bucket + "/" + key, content);
    return this;
  }

  public Map<String, byte[]> objects() {
    return objects;
  }

  @Override
  public InputStream open(String bucket, String key) throws IOException {
    byte[] content = objects.get(bucket + "/" + key);
    if (content == null) {
      throw new NoSuchObjectException(bucket + "/" + key);
    }
    return new ByteArrayInputStream(content);
  }

  @Override
  public Optional<byte[]> read(String bucket, String key) {
    return Optional.ofNullable(objects.get(bucket + "/" + key));
  }

  @Override
  public void put(String bucket, String key, byte[] content, String contentType) {
    put(bucket, key, content);
  }

  @Override
  public Optional<String> firstKey(String bucket, String prefix) {
    String from = bucket + "/" + prefix;
    return Optional.ofNullable(objects.ceilingKey(from))
        .filter(k -> k.startsWith(from))
        .map(k -> k.substring(bucket.length() + 1));
  }

  @Override
  public void list(String bucket, String prefix, String startAfter, Consumer<String> each) {
    String from = bucket + "/" + prefix;
    for (String k : objects.tailMap(from, true).keySet()) {
      if (!k.startsWith(from)) {
        break;
      }
      String key = k.substring(bucket.length() + 1);
      if (startAfter == null || key.compareTo(startAfter) > 0) {
        each.accept(key);
      }
    }
  }
}
