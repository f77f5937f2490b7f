package dev.vigil.core.geo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpLiteralsTest {
  @Test
  void parsesIpv4AndIpv6LiteralsOnly() {
    assertThat(IpLiterals.parse("203.0.113.7").getHostAddress()).isEqualTo("203.0.113.7");
    assertThat(IpLiterals.parse("2001:db8::1").getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1");
    assertThat(IpLiterals.parse("::ffff:8.8.8.8").getHostAddress()).isEqualTo("8.8.8.8");
    assertThat(IpLiterals.parse("ssm.amazonaws.com")).isNull();
    assertThat(IpLiterals.parse("1.2.3")).isNull();
    assertThat(IpLiterals.parse("1.2.3.4.5")).isNull();
    assertThat(IpLiterals.parse("1.2.3.256")).isNull();
    assertThat(IpLiterals.parse("1..3.4")).isNull();
    assertThat(IpLiterals.parse("2001:db8::g")).isNull();
    assertThat(IpLiterals.parse("2001:db8:::1")).isNull();
    assertThat(IpLiterals.parse("1.2.3.4:443")).isNull();
    assertThat(IpLiterals.parse("fe80::1%eth0")).isNull();
    assertThat(IpLiterals.parse("01.2.3.4")).isNotNull(); // leading zeros are decimal, as in logs
    assertThat(IpLiterals.parse("")).isNull();
    assertThat(IpLiterals.parse(null)).isNull();
  }

  @Test
  void privateAndUnroutableAddressesAreNotPublic() {
    for (String ip :
        new String[] {
          "10.1.2.3", "172.16.0.1", "192.168.1.1", "127.0.0.1", "169.254.169.254", "0.0.0.0",
          "100.64.0.1", "100.127.255.255", "224.0.0.1", "255.255.255.255", "::1", "fe80::1",
          "fd12:3456::1", "::", "ff02::1"
        }) {
      assertThat(IpLiterals.isPublic(IpLiterals.parse(ip))).as(ip).isFalse();
    }
    for (String ip : new String[] {"8.8.8.8", "100.128.0.1", "101.93.195.253", "2a00:1450::1"}) {
      assertThat(IpLiterals.isPublic(IpLiterals.parse(ip))).as(ip).isTrue();
    }
  }
}
