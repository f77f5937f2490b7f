package dev.vigil.operator.notify;

import dev.vigil.core.alerts.Alert;
import dev.vigil.core.alerts.NotificationPayloads;
import dev.vigil.operator.common.AwsCallLimits;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.SnsException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Publishes to an SNS topic with the operator's identity (IRSA), or with {@code sns.roleArn}
 * assumed first for topics in other accounts. The region comes from the topic ARN; one client per
 * region and role.
 */
public final class SnsSender implements ChannelSender {
  private final Optional<URI> endpointOverride;
  private final AwsCallLimits limits;
  private final Map<String, SnsClient> clients = new ConcurrentHashMap<>();

  public SnsSender(Optional<URI> endpointOverride, AwsCallLimits limits) {
    this.endpointOverride = endpointOverride;
    this.limits = limits;
  }

  @Override
  public void send(ResolvedChannel target, Alert alert) throws DeliveryException {
    String region = target.topicArn().split(":")[3];
    SnsClient sns =
        clients.computeIfAbsent(
            region + "|" + (target.roleArn() == null ? "" : target.roleArn()),
            k -> client(Region.of(region), target.roleArn()));
    try {
      sns.publish(
          r ->
              r.topicArn(target.topicArn())
                  .subject(NotificationPayloads.subject(alert))
                  .message(NotificationPayloads.sns(alert)));
    } catch (SnsException e) {
      int status = e.statusCode();
      throw new DeliveryException(
          "SNS publish to "
              + target.topicArn()
              + " failed: "
              + e.awsErrorDetails().errorCode()
              + " (HTTP "
              + status
              + ")",
          status == 429 || status >= 500 || e.isThrottlingException(),
          e);
    } catch (SdkClientException e) {
      throw new DeliveryException("SNS unreachable: " + e.getMessage(), true, e);
    } catch (SdkException e) {
      throw new DeliveryException("SNS publish failed: " + e.getMessage(), e.retryable(), e);
    }
  }

  private SnsClient client(Region region, String roleArn) {
    AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
    if (roleArn != null) {
      var sts =
          StsClient.builder()
              .region(region)
              .credentialsProvider(credentials)
              .overrideConfiguration(limits.apply(ClientOverrideConfiguration.builder()).build());
      endpointOverride.ifPresent(sts::endpointOverride);
      credentials =
          StsAssumeRoleCredentialsProvider.builder()
              .stsClient(sts.build())
              .refreshRequest(r -> r.roleArn(roleArn).roleSessionName("vigil-notifications"))
              .build();
    }
    var builder =
        SnsClient.builder()
            .region(region)
            .credentialsProvider(credentials)
            .overrideConfiguration(limits.apply(ClientOverrideConfiguration.builder()).build());
    endpointOverride.ifPresent(builder::endpointOverride);
    return builder.build();
  }
}
