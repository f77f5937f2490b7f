package dev.vigil.operator;

import dev.vigil.parts.MotoServer;
import dev.vigil.parts.RealParts;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points the operator's AWS clients at the real AWS emulator (moto) of the test harness, with the
 * static credentials it accepts (as system properties, read by the SDK's default chain — the chain
 * the operator uses in production with IRSA).
 */
public class AwsEmulatorResource implements QuarkusTestResourceLifecycleManager {
  @Override
  public Map<String, String> start() {
    MotoServer moto = RealParts.moto();
    System.setProperty("aws.accessKeyId", "testing");
    System.setProperty("aws.secretAccessKey", "testing");
    return Map.of(
        "vigil.operator.aws.endpoint-override", moto.endpoint().toString(),
        "vigil.operator.aws.region", MotoServer.REGION.id(),
        "vigil.operator.aws.s3-path-style", "true");
  }

  @Override
  public void stop() {
    // The emulator is shared by the JVM and stopped when it exits.
  }
}
