package dev.vigil.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a small, valid MaxMind DB (MMDB, format 2.0) file for tests — GeoIP without downloading a
 * real database. An IPv6 search tree (IPv4 networks live at {@code ::a.b.c.d/96+n}, where readers
 * look for them) or an IPv4-only one, 24-bit records, a data section with maps, arrays, UTF-8
 * strings, doubles and unsigned integers, and the metadata section. Records are shaped like
 * GeoLite2/GeoIP2 City ones ({@link #city}) or anything else ({@link #network}).
 *
 * <p>Networks are inserted in order; a more specific network inserted after a broader one splits
 * it. Not a general-purpose writer: no pointers/deduplication, no aliases, no 28/32-bit records.
 */
public final class MmdbTestDatabase {
  private static final byte[] METADATA_MARKER = {
    (byte) 0xAB, (byte) 0xCD, (byte) 0xEF, 'M', 'a', 'x', 'M', 'i', 'n', 'd', '.', 'c', 'o', 'm'
  };
  private static final int DATA_SECTION_SEPARATOR = 16;
  private static final int RECORD_BYTES = 3; // 24-bit records

  private final String databaseType;
  private final Node root = new Node();
  private final List<Map<String, Object>> records = new ArrayList<>();
  private int ipVersion = 6;

  private MmdbTestDatabase(String databaseType) {
    this.databaseType = databaseType;
  }

  /** A database whose metadata says {@code databaseType}, e.g. {@code GeoLite2-City}. */
  public static MmdbTestDatabase ofType(String databaseType) {
    return new MmdbTestDatabase(databaseType);
  }

  /**
   * Makes an IPv4-only database (a 32-bit tree, {@code ip_version} 4), as some publishers ship one
   * file per address family. Call before adding networks.
   */
  public MmdbTestDatabase ipv4Only() {
    if (!records.isEmpty()) {
      throw new IllegalStateException("choose the IP version before adding networks");
    }
    ipVersion = 4;
    return this;
  }

  /**
   * A GeoIP2/GeoLite2 City record for {@code cidr}: {@code country.iso_code}, {@code
   * country.names.en}, {@code subdivisions[0].names.en}, {@code city.names.en}, {@code
   * location.latitude/longitude}. Null parts are left out.
   */
  public MmdbTestDatabase city(
      String cidr,
      String countryIso,
      String country,
      String region,
      String city,
      Double latitude,
      Double longitude) {
    Map<String, Object> record = new LinkedHashMap<>();
    if (countryIso != null || country != null) {
      Map<String, Object> c = new LinkedHashMap<>();
      if (countryIso != null) {
        c.put("iso_code", countryIso);
      }
      if (country != null) {
        c.put("names", Map.of("en", country));
      }
      record.put("country", c);
    }
    if (region != null) {
      record.put("subdivisions", List.of(Map.of("names", Map.of("en", region))));
    }
    if (city != null) {
      record.put("city", Map.of("names", Map.of("en", city), "geoname_id", 1796236L));
    }
    if (latitude != null && longitude != null) {
      record.put(
          "location", Map.of("latitude", latitude, "longitude", longitude, "accuracy_radius", 50));
    }
    return network(cidr, record);
  }

  /**
   * Any record for {@code cidr} (values: String, Double, Integer/Long as unsigned, Boolean, Map,
   * List).
   */
  public MmdbTestDatabase network(String cidr, Map<String, Object> record) {
    int slash = cidr.indexOf('/');
    InetAddress address;
    try {
      address = InetAddress.getByName(cidr.substring(0, slash));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not a network literal: " + cidr, e);
    }
    int prefix = Integer.parseInt(cidr.substring(slash + 1));
    byte[] raw = address.getAddress();
    byte[] bits;
    int length;
    if (ipVersion == 4) {
      if (!(address instanceof Inet4Address)) {
        throw new IllegalArgumentException("an IPv4-only database takes no " + cidr);
      }
      bits = raw;
      length = prefix;
    } else {
      bits = new byte[16];
      System.arraycopy(raw, 0, bits, 16 - raw.length, raw.length);
      length = (address instanceof Inet4Address ? 96 : 0) + prefix;
    }
    if (prefix <= 0 || length > bits.length * 8) {
      throw new IllegalArgumentException("bad prefix length: " + cidr);
    }
    records.add(record);
    insert(bits, length, new Leaf(records.size() - 1));
    return this;
  }

  private void insert(byte[] bits, int length, Leaf leaf) {
    Node node = root;
    for (int i = 0; i < length - 1; i++) {
      int bit = bit(bits, i);
      Object child = node.child(bit);
      if (!(child instanceof Node)) {
        Node split = new Node();
        split.left = child; // a broader network's leaf (or nothing) continues on both sides
        split.right = child;
        node.set(bit, split);
        child = split;
      }
      node = (Node) child;
    }
    node.set(bit(bits, length - 1), leaf);
  }

  private static int bit(byte[] bits, int i) {
    return (bits[i / 8] >> (7 - i % 8)) & 1;
  }

  /** The file's bytes. */
  public byte[] bytes() {
    // Number the nodes breadth-first; node 0 is the root.
    List<Node> nodes = new ArrayList<>();
    Map<Node, Integer> numbers = new IdentityHashMap<>();
    ArrayDeque<Node> queue = new ArrayDeque<>(List.of(root));
    while (!queue.isEmpty()) {
      Node n = queue.poll();
      if (numbers.containsKey(n)) {
        continue;
      }
      numbers.put(n, nodes.size());
      nodes.add(n);
      for (Object child : new Object[] {n.left, n.right}) {
        if (child instanceof Node c && !numbers.containsKey(c)) {
          queue.add(c);
        }
      }
    }
    int nodeCount = nodes.size();

    ByteArrayOutputStream data = new ByteArrayOutputStream();
    int[] offsets = new int[records.size()];
    for (int i = 0; i < records.size(); i++) {
      offsets[i] = data.size();
      encode(records.get(i), data);
    }

    ByteArrayOutputStream file = new ByteArrayOutputStream();
    for (Node n : nodes) {
      writeRecord(file, recordValue(n.left, numbers, nodeCount, offsets));
      writeRecord(file, recordValue(n.right, numbers, nodeCount, offsets));
    }
    file.writeBytes(new byte[DATA_SECTION_SEPARATOR]);
    file.writeBytes(data.toByteArray());
    file.writeBytes(METADATA_MARKER);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("node_count", new Unsigned(nodeCount, 6));
    metadata.put("record_size", new Unsigned(RECORD_BYTES * 8, 5));
    metadata.put("ip_version", new Unsigned(ipVersion, 5));
    metadata.put("database_type", databaseType);
    metadata.put("languages", List.of("en"));
    metadata.put("binary_format_major_version", new Unsigned(2, 5));
    metadata.put("binary_format_minor_version", new Unsigned(0, 5));
    metadata.put("build_epoch", new Unsigned(1_764_288_000L, 9));
    metadata.put("description", Map.of("en", "Vigil test database"));
    encode(metadata, file);
    return file.toByteArray();
  }

  /** Writes the database to {@code file} and returns it. */
  public Path writeTo(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return Files.write(file, bytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long recordValue(
      Object child, Map<Node, Integer> numbers, int nodeCount, int[] offsets) {
    if (child instanceof Node n) {
      return numbers.get(n);
    }
    if (child instanceof Leaf leaf) {
      return (long) nodeCount + DATA_SECTION_SEPARATOR + offsets[leaf.record];
    }
    return nodeCount; // no data
  }

  private static void writeRecord(ByteArrayOutputStream out, long value) {
    if (value >= 1L << (RECORD_BYTES * 8)) {
      throw new IllegalStateException("database too large for 24-bit records");
    }
    for (int i = RECORD_BYTES - 1; i >= 0; i--) {
      out.write((int) (value >> (8 * i)) & 0xff);
    }
  }

  // Data section types (spec: "Output Data Section").
  private static final int STRING = 2;
  private static final int DOUBLE = 3;
  private static final int UINT16 = 5;
  private static final int UINT32 = 6;
  private static final int MAP = 7;
  private static final int UINT64 = 9;
  private static final int ARRAY = 11;
  private static final int BOOLEAN = 14;

  /** An unsigned integer of an explicit data type (uint16 = 5, uint32 = 6, uint64 = 9). */
  private record Unsigned(long value, int type) {}

  private static void encode(Object value, ByteArrayOutputStream out) {
    if (value instanceof String text) {
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      control(STRING, utf8.length, out);
      out.writeBytes(utf8);
    } else if (value instanceof Double number) {
      control(DOUBLE, 8, out);
      long bits = Double.doubleToLongBits(number);
      for (int i = 7; i >= 0; i--) {
        out.write((int) (bits >> (8 * i)) & 0xff);
      }
    } else if (value instanceof Unsigned u) {
      unsigned(u.type(), u.value(), out);
    } else if (value instanceof Integer number) {
      unsigned(UINT32, number, out);
    } else if (value instanceof Long number) {
      unsigned(UINT64, number, out);
    } else if (value instanceof Boolean flag) {
      control(BOOLEAN, flag ? 1 : 0, out);
    } else if (value instanceof Map<?, ?> map) {
      control(MAP, map.size(), out);
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        encode(String.valueOf(entry.getKey()), out);
        encode(entry.getValue(), out);
      }
    } else if (value instanceof List<?> list) {
      control(ARRAY, list.size(), out);
      list.forEach(item -> encode(item, out));
    } else {
      throw new IllegalArgumentException("cannot encode " + value);
    }
  }

  private static void unsigned(int type, long value, ByteArrayOutputStream out) {
    if (value < 0) {
      throw new IllegalArgumentException("unsigned value is negative: " + value);
    }
    byte[] big = BigInteger.valueOf(value).toByteArray();
    int skip = 0;
    while (skip < big.length && big[skip] == 0) {
      skip++; // minimal big-endian: zero is zero bytes long
    }
    control(type, big.length - skip, out);
    out.write(big, skip, big.length - skip);
  }

  /** The control byte(s): type in the top 3 bits (or 0 + an extended type byte), then the size. */
  private static void control(int type, int size, ByteArrayOutputStream out) {
    int sizeBits;
    byte[] sizeBytes;
    if (size < 29) {
      sizeBits = size;
      sizeBytes = new byte[0];
    } else if (size < 29 + 256) {
      sizeBits = 29;
      sizeBytes = new byte[] {(byte) (size - 29)};
    } else if (size < 285 + 65536) {
      sizeBits = 30;
      int rest = size - 285;
      sizeBytes = new byte[] {(byte) (rest >> 8), (byte) rest};
    } else {
      sizeBits = 31;
      int rest = size - 65821;
      sizeBytes = new byte[] {(byte) (rest >> 16), (byte) (rest >> 8), (byte) rest};
    }
    if (type <= 7) {
      out.write((type << 5) | sizeBits);
    } else {
      out.write(sizeBits);
      out.write(type - 7);
    }
    out.writeBytes(sizeBytes);
  }

  private static final class Node {
    Object left;
    Object right;

    Object child(int bit) {
      return bit == 0 ? left : right;
    }

    void set(int bit, Object child) {
      if (bit == 0) {
        left = child;
      } else {
        right = child;
      }
    }
  }

  private record Leaf(int record) {}
}
