package dev.vigil.operator;

import dev.vigil.testing.MotoServer;
import dev.vigil.testing.RealParts;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points the operator's AWS clients (SNS for notification channels) at the moto server of the test
 * harness; the SDK's default credential chain reads the emulator's static credentials from system
 * properties.
 */
public class MotoAwsResource implements QuarkusTestResourceLifecycleManager {
  @Override
  public Map<String, String> start() {
    MotoServer moto = RealParts.moto();
    System.setProperty("aws.accessKeyId", "testing");
    System.setProperty("aws.secretAccessKey", "testing");
    return Map.of("vigil.operator.aws-endpoint-override", moto.endpoint().toString());
  }

  @Override
  public void stop() {
    // moto is shared by the JVM and stopped when it exits.
  }
}
