package dev.vigil.operator.logsource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.retry.Backoff;
import dev.vigil.operator.common.AwsCallLimits;
import dev.vigil.operator.opensearch.RequestAuth;
import dev.vigil.operator.opensearch.SigV4Auth;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * AWS Organizations over its JSON 1.1 protocol (POST with {@code X-Amz-Target}, SigV4 signed by the
 * SDK's signer). Why not the SDK's client: {@code software.amazon.awssdk:organizations} is not
 * served by the Maven mirror Vigil builds from, and Vigil needs only the account listings. Calls
 * are counted in {@code vigil_aws_calls_total} like the SDK clients' (service {@code
 * Organizations}). Failures are thrown as the SDK's exceptions so callers handle every AWS error
 * alike.
 */
public final class OrganizationsApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TARGET_PREFIX = "AWSOrganizationsV20161128.";

  /** Organizations is a global service, signed for us-east-1 in the commercial partition. */
  private static final String SIGNING_REGION = "us-east-1";

  private static final URI GLOBAL_ENDPOINT =
      URI.create("https://organizations.us-east-1.amazonaws.com/");

  private final URI endpoint;
  private final RequestAuth auth;
  private final MeterRegistry metrics;
  private final AwsCallLimits limits;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** {@code endpoint}: an override (tests: the AWS emulator), or null for the global endpoint. */
  public OrganizationsApi(
      URI endpoint,
      AwsCredentialsProvider credentials,
      AwsCallLimits limits,
      MeterRegistry metrics) {
    this.limits = limits;
    this.endpoint = endpoint == null ? GLOBAL_ENDPOINT : endpoint;
    this.auth = new SigV4Auth(credentials, SIGNING_REGION, "organizations");
    this.metrics = metrics;
  }

  /** A member account as ListAccounts reports it. */
  public record Account(String id, String name, String status) {
    boolean active() {
      return "ACTIVE".equals(status);
    }
  }

  /** Every ACTIVE account of the organization, the management account included. */
  public List<Account> activeAccounts() {
    List<Account> accounts = new ArrayList<>();
    eachItem(
        "ListAccounts",
        JSON.createObjectNode(),
        "Accounts",
        a -> {
          Account account =
              new Account(
                  a.path("Id").asText(),
                  a.path("Name").asText(),
                  // "State" replaces "Status" in newer answers; either says ACTIVE.
                  a.hasNonNull("State") ? a.path("State").asText() : a.path("Status").asText());
          if (account.active()) {
            accounts.add(account);
          }
        });
    return accounts;
  }

  /**
   * Ids of the accounts directly in {@code parentId} (a root {@code r-…} or an organizational unit
   * {@code ou-…}) and in every unit nested under it: two listings per unit, however many accounts.
   */
  public Set<String> accountsUnder(String parentId) {
    Set<String> accounts = new TreeSet<>();
    Deque<String> parents = new ArrayDeque<>(List.of(parentId));
    while (!parents.isEmpty()) {
      String parent = parents.pop();
      eachItem(
          "ListAccountsForParent",
          JSON.createObjectNode().put("ParentId", parent),
          "Accounts",
          a -> accounts.add(a.path("Id").asText()));
      eachItem(
          "ListOrganizationalUnitsForParent",
          JSON.createObjectNode().put("ParentId", parent),
          "OrganizationalUnits",
          unit -> parents.push(unit.path("Id").asText()));
    }
    return accounts;
  }

  /** A root or organizational unit: its id and name. */
  public record Unit(String id, String name) {}

  /** The organization's roots (one, named {@code Root}, in every organization today). */
  public List<Unit> roots() {
    List<Unit> roots = new ArrayList<>();
    eachItem(
        "ListRoots",
        JSON.createObjectNode(),
        "Roots",
        r -> roots.add(new Unit(r.path("Id").asText(), r.path("Name").asText())));
    return roots;
  }

  /** The organizational units directly in {@code parentId}. */
  public List<Unit> unitsIn(String parentId) {
    List<Unit> units = new ArrayList<>();
    eachItem(
        "ListOrganizationalUnitsForParent",
        JSON.createObjectNode().put("ParentId", parentId),
        "OrganizationalUnits",
        u -> units.add(new Unit(u.path("Id").asText(), u.path("Name").asText())));
    return units;
  }

  /** Ids of the accounts directly in {@code parentId}. */
  public List<String> accountsIn(String parentId) {
    List<String> accounts = new ArrayList<>();
    eachItem(
        "ListAccountsForParent",
        JSON.createObjectNode().put("ParentId", parentId),
        "Accounts",
        a -> accounts.add(a.path("Id").asText()));
    return accounts;
  }

  /** An account's tags (ListTagsForResource with the account id as ResourceId). */
  public java.util.Map<String, String> tags(String accountId) {
    java.util.Map<String, String> tags = new java.util.TreeMap<>();
    eachItem(
        "ListTagsForResource",
        JSON.createObjectNode().put("ResourceId", accountId),
        "Tags",
        t -> tags.put(t.path("Key").asText(), t.path("Value").asText()));
    return tags;
  }

  /** Every item of a paginated listing's {@code field}, following NextToken. */
  private void eachItem(
      String operation, ObjectNode request, String field, Consumer<JsonNode> item) {
    String next = null;
    do {
      ObjectNode page = request.deepCopy();
      if (next != null) {
        page.put("NextToken", next);
      }
      JsonNode answer = call(operation, page);
      answer.path(field).forEach(item);
      next = answer.hasNonNull("NextToken") ? answer.path("NextToken").asText() : null;
    } while (next != null);
  }

  /**
   * One operation, e.g. {@code call("ListAccounts", {})}; the answer's JSON body. Throttling
   * answers ({@code TooManyRequestsException}) are retried with exponential backoff and full
   * jitter, as the SDK clients do, up to {@link AwsCallLimits#MAX_ATTEMPTS} attempts.
   */
  JsonNode call(String operation, ObjectNode request) {
    // Counted once per call, retries inside, as the SDK clients' calls are.
    String outcome = "failure";
    try {
      JsonNode answer = withRetries(operation, request);
      outcome = "success";
      return answer;
    } finally {
      AwsClients.calls(metrics).count("Organizations", operation, outcome);
    }
  }

  private JsonNode withRetries(String operation, ObjectNode request) {
    for (int attempt = 1; ; attempt++) {
      try {
        return attempt(operation, request);
      } catch (AwsServiceException e) {
        if (!e.isThrottlingException() || attempt >= AwsCallLimits.MAX_ATTEMPTS) {
          throw e;
        }
        metrics
            .counter(
                AwsClients.RetryCounter.NAME,
                "service",
                "Organizations",
                "operation",
                operation,
                "reason",
                "throttling")
            .increment();
        pause(attempt, operation);
      }
    }
  }

  /** Full jitter: a random pause up to 100 ms doubled per attempt, at most 20 s. */
  private static final Backoff THROTTLED =
      new Backoff(Duration.ofMillis(100), Duration.ofSeconds(20), Backoff.Jitter.FULL);

  private static void pause(int attempt, String operation) {
    try {
      Thread.sleep(THROTTLED.delay(attempt).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw SdkClientException.create(
          AwsCallLimits.call("Organizations", operation) + ": interrupted", e);
    }
  }

  private JsonNode attempt(String operation, ObjectNode request) {
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(request);
    } catch (IOException e) {
      throw SdkClientException.create("cannot write the " + operation + " request", e);
    }
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(endpoint)
            .timeout(limits.apiCall())
            .header("Content-Type", "application/x-amz-json-1.1")
            .header("X-Amz-Target", TARGET_PREFIX + operation)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    auth.authenticate(builder, "POST", endpoint, body);
    try {
      HttpResponse<byte[]> response =
          http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
      JsonNode answer = parse(response.body());
      if (response.statusCode() / 100 != 2) {
        throw serviceError(operation, response.statusCode(), answer);
      }
      return answer;
    } catch (IOException e) {
      String what =
          e instanceof java.net.http.HttpTimeoutException
              ? "timed out after "
                  + limits.apiCall().toSeconds()
                  + " s (vigil.operator.aws.api-call-timeout)"
              : "at " + endpoint + " failed: " + e.getMessage();
      throw SdkClientException.create(
          AwsCallLimits.call("Organizations", operation) + " " + what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw SdkClientException.create(
          AwsCallLimits.call("Organizations", operation) + ": interrupted", e);
    }
  }

  private static AwsServiceException serviceError(String operation, int status, JsonNode answer) {
    // JSON 1.1 errors: {"__type": "prefix#Code", "message"|"Message": "..."}
    String type = answer.path("__type").asText("OrganizationsError");
    String code = type.substring(type.indexOf('#') + 1);
    String message = answer.path("message").asText(answer.path("Message").asText(operation));
    return AwsServiceException.builder()
        .statusCode(status)
        .message(message)
        .awsErrorDetails(
            AwsErrorDetails.builder()
                .serviceName("Organizations")
                .errorCode(code)
                .errorMessage(message)
                .build())
        .build();
  }

  private static JsonNode parse(byte[] body) {
    try {
      return body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }
}
