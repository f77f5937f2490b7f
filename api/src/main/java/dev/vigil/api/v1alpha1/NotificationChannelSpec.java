package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

@JsonClassDescription("A destination for alerts, with the severities it receives.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.type != 'SNS' || has(self.sns)",
    message = "type SNS needs sns.topicArn")
@ValidationRule(
    value = "self.type != 'Email' || has(self.email)",
    message = "type Email needs email settings")
@ValidationRule(
    value = "!(self.type in ['Slack', 'Chime', 'Teams', 'Webhook']) || has(self.webhook)",
    message = "types Slack, Chime, Teams and Webhook need webhook.urlSecretRef")
@ValidationRule(
    value = "!has(self.severities) || self.severities.all(s, s >= 1 && s <= 5)",
    message = "severities are 1 (highest) to 5 (lowest)")
public class NotificationChannelSpec {
  @JsonPropertyDescription(
      "OpenSearchConnection whose Notifications plugin gets this channel, when it has one.")
  public ConnectionRef connectionRef;

  @Required
  @JsonPropertyDescription("SNS, Slack, Chime, Teams, Webhook or Email.")
  public ChannelType type;

  @JsonPropertyDescription("Severities (1 highest … 5 lowest) this channel receives. Default: all.")
  @Size(max = 5)
  public List<Integer> severities;

  @JsonPropertyDescription("For Slack, Chime, Teams and Webhook.")
  public Webhook webhook;

  @JsonPropertyDescription("For SNS.")
  public Sns sns;

  @JsonPropertyDescription("For Email.")
  public Email email;

  public enum ChannelType {
    SNS,
    Slack,
    Chime,
    Teams,
    Webhook,
    Email
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Webhook {
    @Required
    @JsonPropertyDescription(
        "Secret key holding the webhook URL (it embeds a token, so it is never inlined).")
    public SecretKeyRef urlSecretRef;

    @JsonPropertyDescription("Extra HTTP headers for custom webhooks.")
    public Map<String, String> headers;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Sns {
    @Required
    @Pattern("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:.+$")
    @JsonPropertyDescription("Topic to publish to.")
    public String topicArn;

    @Pattern("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$")
    @JsonPropertyDescription(
        "Role to assume for publishing (required by the Notifications plugin).")
    public String roleArn;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Email {
    @Required
    @JsonPropertyDescription("SMTP server host.")
    public String host;

    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("SMTP port. Default: 587.")
    public Integer port = 587;

    @JsonPropertyDescription("None, StartTLS or SSL. Default: StartTLS.")
    public SmtpSecurity security = SmtpSecurity.StartTLS;

    @JsonPropertyDescription(
        "Secret with keys username and password for SMTP auth, if the server needs it.")
    public String credentialsSecretName;

    @Required
    @JsonPropertyDescription("Sender address.")
    public String from;

    @Required
    @JsonPropertyDescription("Recipient addresses.")
    public List<String> to;
  }

  public enum SmtpSecurity {
    None,
    StartTLS,
    SSL
  }
}
