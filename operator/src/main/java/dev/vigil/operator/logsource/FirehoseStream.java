package dev.vigil.operator.logsource;

import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.CompressionFormat;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.DestinationDescription;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;

/**
 * The Firehose delivery stream Vigil creates to carry CloudWatch Logs subscriptions or EventBridge
 * findings into the LogSource's bucket and prefix. What it carries decides its S3 compression: see
 * {@link Records}. A stream Vigil made earlier with another compression is corrected in place.
 */
public final class FirehoseStream {
  /** What the stream's records are, and so how the stream compresses the objects it writes. */
  public enum Records {
    /**
     * CloudWatch Logs subscription payloads: CloudWatch Logs already gzips every record it sends,
     * so a second compression would only wrap gzip in gzip; the objects are the gzip records
     * concatenated (see docs/log-types/cloudwatch.md).
     */
    CLOUDWATCH_LOGS(CompressionFormat.UNCOMPRESSED),
    /** EventBridge events: plain JSON, gzipped by Firehose. */
    EVENTBRIDGE_EVENTS(CompressionFormat.GZIP);

    final CompressionFormat compression;

    Records(CompressionFormat compression) {
      this.compression = compression;
    }
  }

  private final FirehoseClient firehose;

  public FirehoseStream(FirehoseClient firehose) {
    this.firehose = firehose;
  }

  /** ARN of the stream, created when missing, its compression corrected when it differs. */
  public String ensure(String name, String bucket, String prefix, String roleArn, Records records) {
    DeliveryStreamDescription stream;
    try {
      stream =
          firehose
              .describeDeliveryStream(r -> r.deliveryStreamName(name))
              .deliveryStreamDescription();
    } catch (ResourceNotFoundException missing) {
      return firehose
          .createDeliveryStream(
              r ->
                  r.deliveryStreamName(name)
                      .deliveryStreamType("DirectPut")
                      .extendedS3DestinationConfiguration(
                          d ->
                              d.bucketARN("arn:aws:s3:::" + bucket)
                                  .prefix(prefix)
                                  .roleARN(roleArn)
                                  .compressionFormat(records.compression)))
          .deliveryStreamARN();
    }
    for (DestinationDescription destination : stream.destinations()) {
      if (destination.extendedS3DestinationDescription() != null
          && destination.extendedS3DestinationDescription().compressionFormat()
              != records.compression) {
        firehose.updateDestination(
            r ->
                r.deliveryStreamName(name)
                    .currentDeliveryStreamVersionId(stream.versionId())
                    .destinationId(destination.destinationId())
                    .extendedS3DestinationUpdate(u -> u.compressionFormat(records.compression)));
      }
    }
    return stream.deliveryStreamARN();
  }

  public void delete(String name) {
    try {
      firehose.deleteDeliveryStream(r -> r.deliveryStreamName(name));
    } catch (ResourceNotFoundException gone) {
      // already deleted
    }
  }
}
