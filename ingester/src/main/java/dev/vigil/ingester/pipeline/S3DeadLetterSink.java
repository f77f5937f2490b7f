package dev.vigil.ingester.pipeline;

import dev.vigil.core.parse.ObjectRef;
import dev.vigil.ingester.source.ObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/**
 * Dead letters as NDJSON objects under an S3 prefix, one object per write: {@code
 * <prefix>YYYY/MM/DD/HH/<kind>-<time>-<uuid>.ndjson}.
 */
public final class S3DeadLetterSink implements DeadLetterSink {
  private static final DateTimeFormatter PATH =
      DateTimeFormatter.ofPattern("yyyy/MM/dd/HH/").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final ObjectStore store;
  private final String bucket;
  private final String prefix;

  public S3DeadLetterSink(ObjectStore store, String bucket, String prefix) {
    this.store = store;
    this.bucket = bucket;
    this.prefix = prefix == null ? "" : prefix;
  }

  @Override
  public void write(List<DeadLetter> letters) throws IOException {
    if (letters.isEmpty()) {
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (DeadLetter letter : letters) {
      out.writeBytes(letter.toJson());
      out.write('\n');
    }
    var time = letters.get(0).time();
    String key =
        prefix
            + PATH.format(time)
            + letters.get(0).kind().id()
            + "-"
            + STAMP.format(time)
            + "-"
            + UUID.randomUUID()
            + ".ndjson";
    store.put(bucket, key, out.toByteArray(), "application/x-ndjson");
  }

  @Override
  public boolean wrote(ObjectRef ref) {
    return bucket.equals(ref.bucket()) && ref.key().startsWith(prefix);
  }

  @Override
  public String describe() {
    return "s3://" + bucket + "/" + prefix;
  }
}
