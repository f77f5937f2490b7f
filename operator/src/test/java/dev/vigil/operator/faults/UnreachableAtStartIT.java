package dev.vigil.operator.faults;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import dev.vigil.parts.FreePorts;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An operator whose API server is unreachable when it starts: the SDK's start fails and is never
 * retried, so liveness must fail (the kubelet then restarts the pod) instead of the process staying
 * live and idle forever. The API server URL points at a loopback port nothing listens on.
 */
@QuarkusTest
@TestProfile(UnreachableAtStartIT.Unreachable.class)
class UnreachableAtStartIT {
  @Test
  void livenessFailsOnceTheStartHasNotSucceededWithinTheStartTimeout() {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                given()
                    .when()
                    .get("/q/health/live")
                    .then()
                    .statusCode(503)
                    .body(containsString("has not started within 2 s")));
    given().when().get("/q/health/ready").then().statusCode(503);
  }

  /** Production's start behaviour, against an API server that is not there. */
  public static class Unreachable implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarkus.kubernetes-client.api-server-url",
          "https://127.0.0.1:" + FreePorts.next(),
          "quarkus.kubernetes-client.namespace",
          "default",
          "quarkus.kubernetes-client.request-timeout",
          "2000",
          "quarkus.operator-sdk.stop-on-informer-error-during-startup",
          "true",
          "vigil.operator.start-timeout",
          "2s");
    }

    @Override
    public boolean disableGlobalTestResources() {
      return true;
    }
  }
}
