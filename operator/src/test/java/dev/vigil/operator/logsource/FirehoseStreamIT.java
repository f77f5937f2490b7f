package dev.vigil.operator.logsource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operator.logsource.FirehoseStream.Records;
import dev.vigil.parts.MotoServer;
import dev.vigil.testing.RealPartsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.CompressionFormat;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationDescription;

/**
 * The delivery streams Vigil provisions, read back from the emulator's own state: CloudWatch Logs
 * streams must not compress again what CloudWatch Logs already gzipped (the reader would face gzip
 * inside gzip), EventBridge streams gzip their plain JSON, and a stream made earlier with the wrong
 * compression is corrected in place.
 */
@ExtendWith(RealPartsExtension.class)
class FirehoseStreamIT {
  private static final String ROLE = "arn:aws:iam::123456789012:role/vigil-firehose";

  @Test
  void cloudWatchLogsStreamWritesUncompressedObjectsToTheLogSourcePrefix(MotoServer aws) {
    try (FirehoseClient firehose = aws.client(FirehoseClient.builder())) {
      String arn =
          new FirehoseStream(firehose)
              .ensure("vigil-fs-cwl", "logs", "cwl/", ROLE, Records.CLOUDWATCH_LOGS);

      ExtendedS3DestinationDescription s3 = destination(firehose, "vigil-fs-cwl");
      assertThat(arn).endsWith(":deliverystream/vigil-fs-cwl");
      assertThat(s3.compressionFormat()).isEqualTo(CompressionFormat.UNCOMPRESSED);
      assertThat(s3.bucketARN()).isEqualTo("arn:aws:s3:::logs");
      assertThat(s3.prefix()).isEqualTo("cwl/");
      assertThat(s3.roleARN()).isEqualTo(ROLE);
      assertThat(
              s3.processingConfiguration() == null
                  || s3.processingConfiguration().processors().isEmpty())
          .as("no Firehose processing: the records stay CloudWatch Logs payloads")
          .isTrue();
    }
  }

  @Test
  void eventBridgeStreamGzipsItsObjects(MotoServer aws) {
    try (FirehoseClient firehose = aws.client(FirehoseClient.builder())) {
      new FirehoseStream(firehose)
          .ensure("vigil-fs-hub", "logs", "securityhub/", ROLE, Records.EVENTBRIDGE_EVENTS);

      assertThat(destination(firehose, "vigil-fs-hub").compressionFormat())
          .isEqualTo(CompressionFormat.GZIP);
    }
  }

  @Test
  void aStreamMadeWithGzipForCloudWatchLogsIsCorrectedOnceAndThenLeftAlone(MotoServer aws) {
    try (FirehoseClient firehose = aws.client(FirehoseClient.builder())) {
      // What earlier Vigil versions provisioned for CloudWatch Logs.
      firehose.createDeliveryStream(
          r ->
              r.deliveryStreamName("vigil-fs-old")
                  .deliveryStreamType("DirectPut")
                  .extendedS3DestinationConfiguration(
                      d ->
                          d.bucketARN("arn:aws:s3:::logs")
                              .prefix("cwl/")
                              .roleARN(ROLE)
                              .compressionFormat(CompressionFormat.GZIP)));
      String before = stream(firehose, "vigil-fs-old").versionId();
      FirehoseStream streams = new FirehoseStream(firehose);

      streams.ensure("vigil-fs-old", "logs", "cwl/", ROLE, Records.CLOUDWATCH_LOGS);
      String corrected = stream(firehose, "vigil-fs-old").versionId();
      streams.ensure("vigil-fs-old", "logs", "cwl/", ROLE, Records.CLOUDWATCH_LOGS);

      assertThat(destination(firehose, "vigil-fs-old").compressionFormat())
          .isEqualTo(CompressionFormat.UNCOMPRESSED);
      assertThat(corrected).isNotEqualTo(before);
      assertThat(stream(firehose, "vigil-fs-old").versionId())
          .as("unchanged: no second update")
          .isEqualTo(corrected);
    }
  }

  private static DeliveryStreamDescription stream(FirehoseClient firehose, String name) {
    return firehose
        .describeDeliveryStream(r -> r.deliveryStreamName(name))
        .deliveryStreamDescription();
  }

  private static ExtendedS3DestinationDescription destination(
      FirehoseClient firehose, String name) {
    return stream(firehose, name).destinations().get(0).extendedS3DestinationDescription();
  }
}
