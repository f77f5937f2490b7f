package dev.vigil.ingester;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class IngesterHealthTest {
  @Test
  void answersLivenessAndReadiness() {
    given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
  }

  @Test
  void exposesPrometheusMetrics() {
    given().when().get("/q/metrics").then().statusCode(200);
  }
}
