package dev.vigil.operator.notify;

import dev.vigil.api.v1alpha1.NotificationChannel;
import dev.vigil.api.v1alpha1.NotificationChannelSpec;
import dev.vigil.api.v1alpha1.NotificationChannelSpec.SmtpSecurity;
import dev.vigil.operator.common.InvalidSpecException;
import dev.vigil.operator.common.SecretValues;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a NotificationChannel and its Secrets into a {@link ResolvedChannel}. Problems are {@link
 * InvalidSpecException}s naming the field or Secret key, never the secret value.
 */
public final class ChannelResolver {
  private final SecretValues secrets;

  public ChannelResolver(KubernetesClient client) {
    this.secrets = new SecretValues(client);
  }

  public ResolvedChannel resolve(NotificationChannel channel) throws InvalidSpecException {
    NotificationChannelSpec spec = channel.getSpec();
    String namespace = channel.getMetadata().getNamespace();
    if (spec == null || spec.type == null) {
      throw new InvalidSpecException("spec.type is required");
    }
    Set<Integer> severities = spec.severities == null ? Set.of() : Set.copyOf(spec.severities);
    String url = null;
    Map<String, String> headers = Map.of();
    String topic = null;
    String role = null;
    ResolvedChannel.Smtp smtp = null;
    switch (spec.type) {
      case Slack, Chime, Teams, Webhook -> {
        if (spec.webhook == null || spec.webhook.urlSecretRef == null) {
          throw new InvalidSpecException("spec.webhook.urlSecretRef is required for " + spec.type);
        }
        url =
            secret(
                    namespace,
                    spec.webhook.urlSecretRef.name,
                    spec.webhook.urlSecretRef.key,
                    "spec.webhook.urlSecretRef")
                .trim();
        try {
          URI uri = URI.create(url);
          if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
            throw new IllegalArgumentException("not http(s)");
          }
        } catch (IllegalArgumentException e) {
          throw new InvalidSpecException(
              "spec.webhook.urlSecretRef: Secret "
                  + spec.webhook.urlSecretRef.name
                  + " key '"
                  + spec.webhook.urlSecretRef.key
                  + "' does not hold an http(s) URL");
        }
        headers = spec.webhook.headers == null ? Map.of() : Map.copyOf(spec.webhook.headers);
      }
      case SNS -> {
        if (spec.sns == null || spec.sns.topicArn == null) {
          throw new InvalidSpecException("spec.sns.topicArn is required for SNS");
        }
        topic = spec.sns.topicArn;
        role = spec.sns.roleArn;
      }
      case Email -> {
        var email = spec.email;
        if (email == null || email.host == null || email.from == null || email.to == null) {
          throw new InvalidSpecException("spec.email needs host, from and to");
        }
        String user = null;
        String password = null;
        if (email.credentialsSecretName != null) {
          user =
              secret(
                  namespace,
                  email.credentialsSecretName,
                  "username",
                  "spec.email.credentialsSecretName");
          password =
              secret(
                  namespace,
                  email.credentialsSecretName,
                  "password",
                  "spec.email.credentialsSecretName");
        }
        smtp =
            new ResolvedChannel.Smtp(
                email.host,
                email.port == null ? 587 : email.port,
                email.security == null ? SmtpSecurity.StartTLS : email.security,
                user,
                password,
                email.from,
                List.copyOf(email.to));
      }
      default -> throw new InvalidSpecException("spec.type " + spec.type + " is not supported");
    }
    return new ResolvedChannel(
        namespace,
        channel.getMetadata().getName(),
        spec.type,
        severities,
        url,
        headers,
        topic,
        role,
        smtp);
  }

  private String secret(String namespace, String name, String key, String field)
      throws InvalidSpecException {
    return secrets.value(namespace, name, key, field);
  }
}
