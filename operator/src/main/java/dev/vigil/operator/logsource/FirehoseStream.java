package dev.vigil.operator.logsource;

import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;

/**
 * The Firehose delivery stream Vigil creates to carry CloudWatch Logs subscriptions and EventBridge
 * findings into the LogSource's bucket and prefix (GZIP objects, which the ingester reads as
 * Firehose-delivered CloudWatch Logs / findings).
 */
public final class FirehoseStream {
  private final FirehoseClient firehose;

  public FirehoseStream(FirehoseClient firehose) {
    this.firehose = firehose;
  }

  /** ARN of the stream, created when missing. */
  public String ensure(String name, String bucket, String prefix, String roleArn) {
    try {
      return firehose
          .describeDeliveryStream(r -> r.deliveryStreamName(name))
          .deliveryStreamDescription()
          .deliveryStreamARN();
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
                                  .compressionFormat("GZIP")))
          .deliveryStreamARN();
    }
  }

  public void delete(String name) {
    try {
      firehose.deleteDeliveryStream(r -> r.deliveryStreamName(name));
    } catch (ResourceNotFoundException gone) {
      // already deleted
    }
  }
}
