package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

@JsonClassDescription("How to reach an OpenSearch cluster (or Amazon OpenSearch Service domain).")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.auth) || self.auth.type != 'Basic' || has(self.auth.basic)",
    message = "auth.basic is required when auth.type is Basic")
@ValidationRule(
    value = "!has(self.auth) || self.auth.type != 'SigV4' || has(self.auth.sigv4)",
    message = "auth.sigv4 (at least its region) is required when auth.type is SigV4")
@ValidationRule(
    value = "!has(self.auth) || self.auth.type != 'SigV4' || self.endpoint.startsWith('https://')",
    message = "SigV4 needs an https:// endpoint")
public class OpenSearchConnectionSpec {
  @Required
  @Pattern("^https?://[^\\s/]+(:[0-9]+)?/?$")
  @JsonPropertyDescription(
      "Base URL of the OpenSearch REST API, e.g. https://search-siem.eu-west-1.es.amazonaws.com.")
  public String endpoint;

  @JsonPropertyDescription("How Vigil authenticates. Default: no authentication.")
  public Auth auth;

  @JsonPropertyDescription("TLS settings for https endpoints.")
  public Tls tls;

  @JsonPropertyDescription(
      "OpenSearch Dashboards of this cluster, where Dashboard resources are synced.")
  public Dashboards dashboards;

  @Pattern("^[0-9]+(ms|s|m)$")
  @JsonPropertyDescription("Timeout of each request to OpenSearch, e.g. 10s. Default: 10s.")
  public String requestTimeout = "10s";

  @JsonPropertyDescription(
      "Settings of the log indices the ingesters of this connection create (their index"
          + " templates). Apply to indices created after a change, e.g. tomorrow's daily index.")
  public Indices indices;

  @JsonPropertyDescription(
      "Amazon OpenSearch Service only: provision the recommended CloudWatch alarms for the domain"
          + " (cluster red/yellow, free storage, JVM memory pressure, CPU, automated snapshot"
          + " failure, index writes blocked), notifying an SNS topic.")
  public CloudWatchAlarms cloudWatchAlarms;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Indices {
    /** The same as the ingester's {@code IndexTemplates.REPLICAS} (a test holds them together). */
    public static final String REPLICAS = "^[0-9]{1,3}(-([0-9]{1,3}|all))?$";

    /** The same as {@code IndexTemplates.REFRESH_INTERVAL} (a test holds them together). */
    public static final String REFRESH_INTERVAL = "^(-1|[0-9]{1,6}(ms|s|m|h))$";

    @Pattern(REPLICAS)
    @JsonPropertyDescription(
        "Replicas of each log index: a count, e.g. 1, or a range that follows the cluster's data"
            + " nodes, e.g. 0-1 (one replica once there are two data nodes, none on a single"
            + " node, which so stays green) or 1-all. Default: 0-1.")
    public String replicas;

    @Pattern(REFRESH_INTERVAL)
    @JsonPropertyDescription(
        "How soon an indexed document becomes searchable (index.refresh_interval), for every log"
            + " type, e.g. 1s; -1 refreshes only when asked. Default: each log type's own, 5s to"
            + " 60s by how late AWS delivers it (docs/performance.md). Shorter costs OpenSearch more"
            + " CPU and merging; streaming detection does not wait for it.")
    public String refreshInterval;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Auth {
    @Required
    @JsonPropertyDescription(
        "None, Basic (user and password from a Secret) or SigV4 (AWS request signing with the pod's IAM role,"
            + " e.g. IRSA, or the default credentials chain).")
    public AuthType type = AuthType.None;

    @JsonPropertyDescription("User name and password for Basic auth.")
    public BasicAuth basic;

    @JsonPropertyDescription("Settings for SigV4 request signing.")
    public SigV4 sigv4;
  }

  public enum AuthType {
    None,
    Basic,
    SigV4
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class BasicAuth {
    @Required
    @JsonPropertyDescription("Name of a Secret in this namespace holding the credentials.")
    public String secretName;

    @JsonPropertyDescription("Key of the user name in the Secret. Default: username.")
    public String usernameKey = "username";

    @JsonPropertyDescription("Key of the password in the Secret. Default: password.")
    public String passwordKey = "password";
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SigV4 {
    @Required
    @Pattern("^[a-z]{2}(-[a-z]+)+-[0-9]+$")
    @JsonPropertyDescription("AWS region of the domain, e.g. eu-west-1.")
    public String region;

    @Pattern("^(es|aoss)$")
    @JsonPropertyDescription(
        "Signing service: es (OpenSearch Service domains) or aoss (Serverless). Default: es.")
    public String service = "es";

    @Pattern("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$")
    @JsonPropertyDescription("Optional role to assume before signing (cross-account domains).")
    public String roleArn;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Tls {
    @JsonPropertyDescription(
        "CA certificate (PEM) to trust, from a Secret key. Default: the system trust store.")
    public SecretKeyRef caSecretRef;

    @JsonPropertyDescription(
        "Skip certificate verification. Only for throwaway test clusters. Default: false.")
    public Boolean insecureSkipVerify = false;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Dashboards {
    @Required
    @Pattern("^https?://.+$")
    @JsonPropertyDescription(
        "Base URL of OpenSearch Dashboards, e.g. https://search-siem.../_dashboards.")
    public String url;

    @JsonPropertyDescription(
        "Security plugin tenant for saved objects (securitytenant header), e.g. global or a tenant name.")
    public String tenant;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class CloudWatchAlarms {
    @Required
    @Pattern("^[a-z][a-z0-9-]{2,27}$")
    @JsonPropertyDescription("The domain name (CloudWatch dimension DomainName).")
    public String domainName;

    @Required
    @Pattern("^[0-9]{12}$")
    @JsonPropertyDescription("The AWS account of the domain (CloudWatch dimension ClientId).")
    public String accountId;

    @Required
    @JsonPropertyDescription("The domain's region, e.g. eu-west-1.")
    public String region;

    @Required
    @Pattern("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:.+$")
    @JsonPropertyDescription("SNS topic every alarm notifies (alarm and back to OK).")
    public String snsTopicArn;

    @io.fabric8.generator.annotation.Min(1)
    @JsonPropertyDescription(
        "FreeStorageSpace alarm threshold in MiB per node; AWS suggests 25% of a node's storage."
            + " Default: 20480.")
    public Integer freeStorageThresholdMiB;
  }
}
