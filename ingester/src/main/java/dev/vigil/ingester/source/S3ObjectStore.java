package dev.vigil.ingester.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@link ObjectStore} on Amazon S3; objects are streamed, never buffered whole. */
public final class S3ObjectStore implements ObjectStore {
  private final S3Client s3;

  public S3ObjectStore(S3Client s3) {
    this.s3 = s3;
  }

  @Override
  public InputStream open(String bucket, String key) throws IOException {
    try {
      return s3.getObject(r -> r.bucket(bucket).key(key));
    } catch (NoSuchKeyException | NoSuchBucketException e) {
      throw new NoSuchObjectException("s3://" + bucket + "/" + key + " does not exist");
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw new NoSuchObjectException("s3://" + bucket + "/" + key + " does not exist");
      }
      throw e;
    }
  }

  @Override
  public Optional<byte[]> read(String bucket, String key) throws IOException {
    try {
      return Optional.of(s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw new IOException("cannot read s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void put(String bucket, String key, byte[] content, String contentType)
      throws IOException {
    try {
      s3.putObject(
          r -> r.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(content));
    } catch (SdkException e) {
      throw new IOException("cannot write s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<String> firstKey(String bucket, String prefix) throws IOException {
    try {
      return s3
          .listObjectsV2(r -> r.bucket(bucket).prefix(prefix == null ? "" : prefix).maxKeys(1))
          .contents()
          .stream()
          .map(S3Object::key)
          .findFirst();
    } catch (SdkException e) {
      throw new IOException("cannot list s3://" + bucket + "/" + prefix + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void list(String bucket, String prefix, String startAfter, Consumer<String> each)
      throws IOException {
    ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket);
    if (prefix != null && !prefix.isEmpty()) {
      request.prefix(prefix);
    }
    if (startAfter != null) {
      request.startAfter(startAfter);
    }
    try {
      for (var page : s3.listObjectsV2Paginator(request.build())) {
        for (S3Object object : page.contents()) {
          each.accept(object.key());
        }
      }
    } catch (SdkException e) {
      throw new IOException("cannot list s3://" + bucket + "/" + prefix + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void listObjects(String bucket, String prefix, Consumer<Listed> each) throws IOException {
    ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket);
    if (prefix != null && !prefix.isEmpty()) {
      request.prefix(prefix);
    }
    try {
      for (var page : s3.listObjectsV2Paginator(request.build())) {
        for (S3Object object : page.contents()) {
          each.accept(new Listed(object.key(), object.lastModified()));
        }
      }
    } catch (SdkException e) {
      throw new IOException("cannot list s3://" + bucket + "/" + prefix + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<String> folders(String bucket, String prefix) throws IOException {
    ListObjectsV2Request.Builder request =
        ListObjectsV2Request.builder().bucket(bucket).delimiter("/");
    if (prefix != null && !prefix.isEmpty()) {
      request.prefix(prefix);
    }
    List<String> out = new ArrayList<>();
    try {
      for (var page : s3.listObjectsV2Paginator(request.build())) {
        for (CommonPrefix folder : page.commonPrefixes()) {
          out.add(folder.prefix());
        }
      }
    } catch (SdkException e) {
      throw new IOException("cannot list s3://" + bucket + "/" + prefix + ": " + e.getMessage(), e);
    }
    return out;
  }
}
