package dev.vigil.operator.logsource;

import dev.vigil.operator.OperatorConfig;
import java.time.Duration;
import java.util.Optional;

/** Operator settings for unit tests of the ingester workload, as the defaults give them. */
final class TestSettings {
  private TestSettings() {}

  static OperatorConfig.Aws aws(Optional<String> region) {
    return aws(region, Optional.empty());
  }

  /** With an emulator's endpoint (path-style S3, as emulators want it) when one is given. */
  static OperatorConfig.Aws aws(Optional<String> region, Optional<String> endpoint) {
    return new OperatorConfig.Aws() {
      @Override
      public Optional<String> region() {
        return region;
      }

      @Override
      public Optional<String> endpointOverride() {
        return endpoint;
      }

      @Override
      public boolean s3PathStyle() {
        return endpoint.isPresent();
      }

      @Override
      public Duration apiCallTimeout() {
        return Duration.ofSeconds(30);
      }

      @Override
      public Duration apiCallAttemptTimeout() {
        return Duration.ofSeconds(10);
      }
    };
  }

  static final OperatorConfig.Ingesters INGESTERS = ingesters(Optional.empty());

  static OperatorConfig.Ingesters ingesters(Optional<String> awsCredentialsSecret) {
    return new OperatorConfig.Ingesters() {
      @Override
      public String image() {
        return "vigil-ingester:test";
      }

      @Override
      public String serviceAccount() {
        return "vigil-ingester";
      }

      @Override
      public Duration scaleInterval() {
        return Duration.ofSeconds(30);
      }

      @Override
      public Duration scaleDownWindow() {
        return Duration.ofMinutes(5);
      }

      @Override
      public Optional<String> awsCredentialsSecret() {
        return awsCredentialsSecret;
      }
    };
  }
}
