package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the API server requires of every custom resource's {@code metadata} before any CRD schema
 * applies: a name (or generateName) that is a DNS-1123 subdomain — at most 253 characters of
 * lowercase letters, digits, '-' and '.', starting and ending with a letter or digit — and a
 * namespace that is a DNS-1123 label (at most 63, no '.'). These come from Kubernetes itself
 * (apimachinery's {@code IsDNS1123Subdomain}/{@code IsDNS1123Label}), not from Vigil's CRDs, so
 * they live here once.
 */
final class ObjectNames {
  static final int SUBDOMAIN_MAX = 253;
  static final int LABEL_MAX = 63;
  private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final Pattern SUBDOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
  private static final Pattern LABEL_PATTERN = Pattern.compile(LABEL);

  private ObjectNames() {}

  static void check(JsonNode metadata, List<CrdSchemas.Violation> out) {
    if (!metadata.isObject()) {
      out.add(new CrdSchemas.Violation("", "metadata is required"));
      return;
    }
    JsonNode name = metadata.get("name");
    if (name == null || name.isNull() || name.asText().isEmpty()) {
      if (!metadata.hasNonNull("generateName")) {
        out.add(new CrdSchemas.Violation("/metadata", "metadata.name is required"));
      }
    } else if (!name.isTextual()) {
      out.add(new CrdSchemas.Violation("/metadata/name", "metadata.name: must be a string"));
    } else {
      String problem = subdomainProblem(name.asText());
      if (problem != null) {
        out.add(new CrdSchemas.Violation("/metadata/name", "metadata.name: " + problem));
      }
    }
    JsonNode namespace = metadata.get("namespace");
    if (namespace != null && namespace.isTextual() && !namespace.asText().isEmpty()) {
      String ns = namespace.asText();
      if (ns.length() > LABEL_MAX || !LABEL_PATTERN.matcher(ns).matches()) {
        out.add(
            new CrdSchemas.Violation(
                "/metadata/namespace",
                "metadata.namespace: '"
                    + ns
                    + "' is not a DNS-1123 label (at most "
                    + LABEL_MAX
                    + " lowercase letters, digits and '-', starting and ending with a letter or"
                    + " digit)"));
      }
    }
  }

  /** Why a name is not a DNS-1123 subdomain, or null when it is one. */
  static String subdomainProblem(String name) {
    if (name.length() > SUBDOMAIN_MAX) {
      return name.length() + " characters, at most " + SUBDOMAIN_MAX + " allowed";
    }
    if (!SUBDOMAIN.matcher(name).matches()) {
      return "'"
          + name
          + "' is not a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', starting and"
          + " ending with a letter or digit)";
    }
    return null;
  }
}
