package dev.vigil.core.geo;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP address text to {@link InetAddress} without ever asking DNS (which {@code
 * InetAddress.getByName} does for anything that is not a literal), and which addresses a GeoIP
 * database can know at all.
 */
public final class IpLiterals {
  private IpLiterals() {}

  /** The address {@code text} spells (dotted IPv4 or IPv6), or null if it is not a literal. */
  public static InetAddress parse(String text) {
    if (text == null || text.isEmpty() || text.length() > 45) {
      return null;
    }
    if (text.indexOf(':') < 0) {
      return parseV4(text);
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean allowed =
          (c >= '0' && c <= '9')
              || (c >= 'a' && c <= 'f')
              || (c >= 'A' && c <= 'F')
              || c == ':'
              || c == '.';
      if (!allowed) {
        return null;
      }
    }
    try {
      // Text holding ':' is only ever parsed as an IPv6 literal by the JDK, never resolved.
      return InetAddress.getByName(text);
    } catch (UnknownHostException | RuntimeException e) {
      return null;
    }
  }

  private static InetAddress parseV4(String text) {
    byte[] bytes = new byte[4];
    int part = 0;
    int value = -1;
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : '.';
      if (c == '.') {
        if (value < 0 || part > 3) {
          return null;
        }
        bytes[part++] = (byte) value;
        value = -1;
      } else if (c >= '0' && c <= '9') {
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        if (value > 255) {
          return null;
        }
      } else {
        return null;
      }
    }
    if (part != 4) {
      return null;
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      return null; // cannot happen for 4 bytes
    }
  }

  /**
   * False for addresses no GeoIP database places: private (RFC 1918, IPv6 unique local), loopback,
   * link-local, unspecified, multicast, carrier-grade NAT (100.64.0.0/10) and broadcast. Such
   * addresses are never looked up (and so never cached).
   */
  public static boolean isPublic(InetAddress address) {
    if (address.isAnyLocalAddress()
        || address.isLoopbackAddress()
        || address.isLinkLocalAddress()
        || address.isSiteLocalAddress()
        || address.isMulticastAddress()) {
      return false;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      boolean cgnat = first == 100 && second >= 64 && second <= 127;
      boolean reserved = first == 0 || first >= 240; // "this network", class E and broadcast
      return !cgnat && !reserved;
    }
    if (address instanceof Inet6Address) {
      return (b[0] & 0xfe) != 0xfc; // fc00::/7 unique local
    }
    return true;
  }
}
