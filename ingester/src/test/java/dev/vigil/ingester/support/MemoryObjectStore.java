package dev.vigil.ingester.support;

import dev.vigil.ingester.source.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/** S3 in a map, ordered by bucket and key like a listing. */
public final class MemoryObjectStore implements ObjectStore {
  private final ConcurrentSkipListMap<String, byte[]> objects = new ConcurrentSkipListMap<>();
  private final Map<String, Instant> modified = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger listCalls =
      new java.util.concurrent.atomic.AtomicInteger();

  public MemoryObjectStore put(String bucket, String key, byte[] content) {
    return put(bucket, key, content, Instant.now());
  }

  /** Puts an object as if S3 had written it at {@code lastModified}. */
  public MemoryObjectStore put(String bucket, String key, byte[] content, Instant lastModified) {
    objects.put(bucket + "/" + key, content);
    modified.put(bucket + "/" + key, lastModified);
    return this;
  }

  /** LIST requests so far (each listing or folder listing counts one). */
  public int listCalls() {
    return listCalls.get();
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

  @Override
  public void listObjects(String bucket, String prefix, Consumer<Listed> each) {
    listCalls.incrementAndGet();
    String from = bucket + "/" + prefix;
    for (String k : objects.tailMap(from, true).keySet()) {
      if (!k.startsWith(from)) {
        break;
      }
      each.accept(new Listed(k.substring(bucket.length() + 1), modified.get(k)));
    }
  }

  @Override
  public List<String> folders(String bucket, String prefix) {
    listCalls.incrementAndGet();
    String from = bucket + "/" + prefix;
    List<String> out = new ArrayList<>();
    for (String k : objects.tailMap(from, true).keySet()) {
      if (!k.startsWith(from)) {
        break;
      }
      String key = k.substring(bucket.length() + 1);
      int slash = key.indexOf('/', prefix.length());
      if (slash >= 0) {
        String folder = key.substring(0, slash + 1);
        if (out.isEmpty() || !out.get(out.size() - 1).equals(folder)) {
          out.add(folder);
        }
      }
    }
    return out;
  }
}
