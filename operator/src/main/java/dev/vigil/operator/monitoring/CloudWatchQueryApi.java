package dev.vigil.operator.monitoring;

import dev.vigil.operator.opensearch.RequestAuth;
import dev.vigil.operator.opensearch.SigV4Auth;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * CloudWatch's Query API (form-encoded POST, XML answers, SigV4 signed by the SDK's signer) for the
 * three alarm operations Vigil needs. Why not the SDK's CloudWatch client: since 2025 it speaks
 * only the Smithy RPCv2 CBOR protocol, which the AWS emulator used in tests (moto 5.2) does not
 * serve, while CloudWatch still serves the Query protocol, as every older SDK and the CLI use it.
 */
public final class CloudWatchQueryApi {
  private static final String VERSION = "2010-08-01";

  private final URI endpoint;
  private final RequestAuth auth;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public CloudWatchQueryApi(URI endpoint, AwsCredentialsProvider credentials, String region) {
    this.endpoint = endpoint;
    this.auth = new SigV4Auth(credentials, region, "monitoring");
  }

  /** The regional endpoint, e.g. {@code https://monitoring.eu-west-1.amazonaws.com/}. */
  public static URI regional(String region) {
    return URI.create("https://monitoring." + region + ".amazonaws.com/");
  }

  /** An alarm as DescribeAlarms reports it (the fields Vigil compares). */
  public record Alarm(
      String name,
      Map<String, String> fields,
      List<String> dimensions,
      List<String> alarmActions,
      List<String> okActions) {}

  public void putMetricAlarm(Map<String, String> parameters) throws CloudWatchException {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("Action", "PutMetricAlarm");
    form.putAll(parameters);
    call(form);
  }

  public List<Alarm> describeAlarms(String namePrefix) throws CloudWatchException {
    List<Alarm> alarms = new ArrayList<>();
    String next = null;
    do {
      Map<String, String> form = new LinkedHashMap<>();
      form.put("Action", "DescribeAlarms");
      form.put("AlarmNamePrefix", namePrefix);
      if (next != null) {
        form.put("NextToken", next);
      }
      Document answer = call(form);
      for (Element alarm : children(first(answer.getDocumentElement(), "MetricAlarms"), "member")) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field :
            List.of(
                "Namespace",
                "MetricName",
                "Statistic",
                "Period",
                "EvaluationPeriods",
                "Threshold",
                "ComparisonOperator",
                "ActionsEnabled")) {
          Element value = first(alarm, field);
          fields.put(field, value == null ? null : value.getTextContent().trim());
        }
        List<String> dimensions = new ArrayList<>();
        for (Element d : children(first(alarm, "Dimensions"), "member")) {
          dimensions.add(
              first(d, "Name").getTextContent() + "=" + first(d, "Value").getTextContent());
        }
        alarms.add(
            new Alarm(
                first(alarm, "AlarmName").getTextContent(),
                fields,
                dimensions,
                texts(children(first(alarm, "AlarmActions"), "member")),
                texts(children(first(alarm, "OKActions"), "member"))));
      }
      Element token = first(answer.getDocumentElement(), "NextToken");
      next = token == null || token.getTextContent().isBlank() ? null : token.getTextContent();
    } while (next != null);
    return alarms;
  }

  public void deleteAlarms(List<String> names) throws CloudWatchException {
    for (int i = 0; i < names.size(); i += 100) { // the API's limit per call
      Map<String, String> form = new LinkedHashMap<>();
      form.put("Action", "DeleteAlarms");
      List<String> batch = names.subList(i, Math.min(names.size(), i + 100));
      for (int n = 0; n < batch.size(); n++) {
        form.put("AlarmNames.member." + (n + 1), batch.get(n));
      }
      call(form);
    }
  }

  private Document call(Map<String, String> form) throws CloudWatchException {
    form.put("Version", VERSION);
    byte[] body =
        form.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"))
            .getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    auth.authenticate(request, "POST", endpoint, body);
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new CloudWatchException(
          "Unreachable",
          "CloudWatch " + form.get("Action") + " at " + endpoint + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CloudWatchException("Unreachable", "interrupted");
    }
    Document document = parse(response.body());
    if (response.statusCode() / 100 != 2) {
      Element code = document == null ? null : first(document.getDocumentElement(), "Code");
      Element message = document == null ? null : first(document.getDocumentElement(), "Message");
      throw new CloudWatchException(
          code == null ? "CloudWatchError" : code.getTextContent(),
          "CloudWatch "
              + form.get("Action")
              + " answered "
              + response.statusCode()
              + (message == null ? "" : ": " + message.getTextContent()));
    }
    return document;
  }

  private static Document parse(byte[] xml) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    } catch (Exception e) {
      return null;
    }
  }

  /** The first descendant element with this local name, or null. */
  private static Element first(Element parent, String name) {
    if (parent == null) {
      return null;
    }
    for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
      if (child instanceof Element element) {
        if (name.equals(localName(element))) {
          return element;
        }
        Element deeper = first(element, name);
        if (deeper != null) {
          return deeper;
        }
      }
    }
    return null;
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> result = new ArrayList<>();
    if (parent != null) {
      for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
        if (child instanceof Element element && name.equals(localName(element))) {
          result.add(element);
        }
      }
    }
    return result;
  }

  private static String localName(Element element) {
    return element.getLocalName() != null ? element.getLocalName() : element.getTagName();
  }

  private static List<String> texts(List<Element> elements) {
    return elements.stream().map(e -> e.getTextContent().trim()).toList();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A CloudWatch request failed; {@code reason} is the AWS error code or Unreachable. */
  public static final class CloudWatchException extends Exception {
    private final String reason;

    public CloudWatchException(String reason, String message) {
      super(message);
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }
}
