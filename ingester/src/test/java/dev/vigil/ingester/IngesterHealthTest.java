package dev.vigil.ingester;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Quarkus app with an OpenSearch that never answers (a closed loopback port). */
@QuarkusTest
@TestProfile(IngesterHealthTest.NothingAnswers.class)
class IngesterHealthTest {
  public static class NothingAnswers implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "vigil.ingester.queues.logs.url", "http://127.0.0.1:1/123456789012/logs",
          "vigil.ingester.opensearch.endpoint", "http://127.0.0.1:1",
          "vigil.ingester.opensearch.probe-interval", "200ms",
          "vigil.ingester.dead-letter.s3-bucket", "dead-letters",
          "vigil.ingester.aws.region", "us-east-1");
    }
  }

  @Test
  void isLiveButNotReadyWhileOpenSearchIsUnreachable() {
    given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(503)
        .body("status", equalTo("DOWN"))
        .body("checks.name", hasItem("opensearch"));
  }

  @Test
  void exposesTheIngesterMetricsToPrometheus() {
    given()
        .when()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("vigil_ingester_opensearch_up 0.0"))
        .body(containsString("vigil_ingester_oldest_in_flight_seconds"))
        .body(containsString("vigil_ingester_bulk_latency_seconds"));
  }
}
