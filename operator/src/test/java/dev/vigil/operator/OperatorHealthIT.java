package dev.vigil.operator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The operator starts against a real Kubernetes API server and reports itself live and ready. */
@QuarkusTest
@QuarkusTestResource(KubeApiServerResource.class)
class OperatorHealthIT {
  @Test
  void answersLivenessAndReadinessOnceItsControllersWatch() {
    given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
  }

  @Test
  void exposesPrometheusMetrics() {
    given().when().get("/q/metrics").then().statusCode(200);
  }
}
