package dev.vigil.operator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The operator starts against a real Kubernetes API server and answers its health endpoints. */
@QuarkusTest
@QuarkusTestResource(value = KubeApiServerResource.class, restrictToAnnotatedClass = true)
class OperatorHealthIT {
  @Test
  void answersLiveness() {
    given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
  }

  @Test
  void readinessReportsTheOperatorSdkCheck() {
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .body("checks.name", org.hamcrest.Matchers.hasItem("Quarkus Operator SDK health check"));
  }
}
