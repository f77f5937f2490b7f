package dev.vigil.core.rules.sigma;

import dev.vigil.core.LogType;
import java.util.Map;

/**
 * Sigma's generic field names (its taxonomy: Sysmon-style names for network connections and DNS,
 * W3C names for web servers and proxies, pySigma's ECS names for DNS) resolved to the fields Vigil
 * writes for each log type. ECS names Vigil already writes ({@code source.ip}, {@code
 * destination.port}, {@code url.path}, …) need no entry; any other name is used as written.
 */
final class SigmaFields {
  private static final Map<String, String> NETWORK =
      Map.ofEntries(
          Map.entry("DestinationIp", "destination.ip"),
          Map.entry("DestinationPort", "destination.port"),
          Map.entry("SourceIp", "source.ip"),
          Map.entry("SourcePort", "source.port"),
          Map.entry("Protocol", "network.transport"),
          Map.entry("dst_ip", "destination.ip"),
          Map.entry("dst_port", "destination.port"),
          Map.entry("src_ip", "source.ip"),
          Map.entry("src_port", "source.port"));

  private static final Map<String, String> DNS =
      Map.ofEntries(
          Map.entry("query", "query_name"),
          Map.entry("QueryName", "query_name"),
          Map.entry("dns.question.name", "query_name"),
          Map.entry("record_type", "query_type"),
          Map.entry("dns.question.type", "query_type"),
          Map.entry("dns.response_code", "rcode"),
          Map.entry("src_ip", "source.ip"),
          Map.entry("SourceIp", "source.ip"));

  private static final Map<String, String> WEB =
      Map.ofEntries(
          Map.entry("c-ip", "source.ip"),
          Map.entry("cs-method", "http.request.method"),
          Map.entry("sc-status", "http.response.status_code"),
          Map.entry("c-uri", "url.original"),
          Map.entry("cs-uri", "url.original"),
          Map.entry("c-uri-stem", "url.path"),
          Map.entry("cs-uri-stem", "url.path"),
          Map.entry("c-uri-query", "url.query"),
          Map.entry("cs-uri-query", "url.query"),
          Map.entry("cs-host", "url.domain"),
          Map.entry("c-useragent", "user_agent.original"),
          Map.entry("cs-user-agent", "user_agent.original"));

  private static final Map<LogType, Map<String, String>> BY_TYPE =
      Map.of(LogType.VPCFLOW, NETWORK, LogType.ROUTE53RESOLVER, DNS, LogType.ALB, WEB);

  private SigmaFields() {}

  /**
   * Whether {@code field} holds fully qualified DNS names: Route 53 Resolver writes {@code
   * query_name} with the root's dot ({@code example.com.}), Sigma rules write names without it.
   */
  static boolean fullyQualifiedName(LogType type, String field) {
    return type == LogType.ROUTE53RESOLVER && field.equals("query_name");
  }

  /** Vigil's field for a Sigma field name in a rule of {@code type}. */
  static String resolve(LogType type, String field) {
    return BY_TYPE.getOrDefault(type, Map.of()).getOrDefault(field, field);
  }
}
