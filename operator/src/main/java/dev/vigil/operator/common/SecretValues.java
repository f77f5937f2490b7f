package dev.vigil.operator.common;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Reads one key of a Secret that a Vigil resource references. Problems are {@link
 * InvalidSpecException}s naming the field and the Secret, never the value.
 */
public final class SecretValues {
  private final KubernetesClient client;

  public SecretValues(KubernetesClient client) {
    this.client = client;
  }

  /**
   * @param field the referencing field, for messages, e.g. {@code spec.webhook.urlSecretRef}
   */
  public String value(String namespace, String name, String key, String field)
      throws InvalidSpecException {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      throw new InvalidSpecException(field + ": Secret " + namespace + "/" + name + " not found");
    }
    if (secret.getData() != null && secret.getData().containsKey(key)) {
      return new String(
          Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
    if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
      return secret.getStringData().get(key);
    }
    throw new InvalidSpecException(
        field + ": Secret " + namespace + "/" + name + " has no key '" + key + "'");
  }
}
