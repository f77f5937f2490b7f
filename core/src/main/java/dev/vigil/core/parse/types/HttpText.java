package dev.vigil.core.parse.types;

import dev.vigil.core.parse.DocumentBuilder;
import java.util.Locale;

/** Shared pieces of the HTTP access log types (ALB, S3 server access): request lines, URLs. */
final class HttpText {
  private HttpText() {}

  /**
   * A request line {@code METHOD target PROTOCOL} in three parts; parts that are missing or {@code
   * -} are null. A line without spaces is taken as the target alone.
   */
  static String[] requestLine(String request) {
    String[] parts = new String[3];
    if (request == null) {
      return parts;
    }
    int first = request.indexOf(' ');
    int last = request.lastIndexOf(' ');
    if (first < 0) {
      parts[1] = present(request);
    } else if (first == last) {
      parts[0] = present(request.substring(0, first));
      parts[1] = present(request.substring(first + 1));
    } else {
      parts[0] = present(request.substring(0, first));
      parts[1] = present(request.substring(first + 1, last));
      parts[2] = present(request.substring(last + 1));
    }
    return parts;
  }

  /** ECS {@code http.version}: {@code HTTP/1.1} → {@code 1.1}. */
  static String httpVersion(String protocol) {
    if (protocol == null) {
      return null;
    }
    return protocol.regionMatches(true, 0, "HTTP/", 0, 5) ? protocol.substring(5) : protocol;
  }

  /**
   * Sets {@code url.original} and what can be told from it: scheme, domain and port of an absolute
   * URL, path and query of any.
   */
  static void url(DocumentBuilder doc, String url) {
    if (url == null) {
      return;
    }
    doc.url("original", url);
    int i = 0;
    int scheme = url.indexOf("://");
    int firstSlash = url.indexOf('/');
    if (scheme > 0 && (firstSlash < 0 || scheme < firstSlash)) {
      doc.url("scheme", url.substring(0, scheme).toLowerCase(Locale.ROOT));
      i = scheme + 3;
      int end = i;
      while (end < url.length() && url.charAt(end) != '/' && url.charAt(end) != '?') {
        end++;
      }
      hostAndPort(doc, url.substring(i, end));
      i = end;
    }
    int query = url.indexOf('?', i);
    String path = query < 0 ? url.substring(i) : url.substring(i, query);
    if (!path.isEmpty()) {
      doc.url("path", path);
    }
    if (query >= 0 && query + 1 < url.length()) {
      doc.url("query", url.substring(query + 1));
    }
  }

  private static void hostAndPort(DocumentBuilder doc, String authority) {
    int at = authority.lastIndexOf('@');
    String hostPort = at < 0 ? authority : authority.substring(at + 1);
    String host = hostPort;
    String port = null;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close > 0) {
        host = hostPort.substring(1, close);
        if (close + 1 < hostPort.length() && hostPort.charAt(close + 1) == ':') {
          port = hostPort.substring(close + 2);
        }
      }
    } else {
      int colon = hostPort.lastIndexOf(':');
      if (colon >= 0 && colon == hostPort.indexOf(':')) {
        host = hostPort.substring(0, colon);
        port = hostPort.substring(colon + 1);
      }
    }
    if (!host.isEmpty()) {
      doc.url("domain", host);
    }
    Integer number = port(port);
    if (number != null) {
      doc.url("port", number);
    }
  }

  /**
   * {@code ip:port} (or {@code [ipv6]:port}) in two parts; either may be null. An IPv6 address
   * without brackets is split at its last colon, the way AWS writes {@code client:port}.
   */
  static String[] hostPort(String value) {
    String[] parts = new String[2];
    if (value == null) {
      return parts;
    }
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      if (close > 0) {
        parts[0] = value.substring(1, close);
        if (close + 1 < value.length() && value.charAt(close + 1) == ':') {
          parts[1] = value.substring(close + 2);
        }
        return parts;
      }
    }
    int colon = value.lastIndexOf(':');
    if (colon < 0) {
      parts[0] = value;
    } else {
      parts[0] = value.substring(0, colon);
      parts[1] = value.substring(colon + 1);
    }
    return parts;
  }

  /** A port number, or null if {@code text} is not one. */
  static Integer port(String text) {
    if (text == null || text.isEmpty() || text.length() > 5) {
      return null;
    }
    int value = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      value = value * 10 + (c - '0');
    }
    return value <= 65_535 ? value : null;
  }

  /** ECS {@code event.outcome} by HTTP status: below 400 success, else failure. */
  static String outcome(Integer status) {
    if (status == null) {
      return null;
    }
    return status < 400 ? "success" : "failure";
  }

  private static String present(String text) {
    return text.isEmpty() || "-".equals(text) ? null : text;
  }
}
