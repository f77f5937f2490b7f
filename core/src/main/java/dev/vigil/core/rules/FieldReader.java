package dev.vigil.core.rules;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.vigil.core.parse.JsonScanner;
import dev.vigil.core.parse.Members;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields a set of prepared queries reads, and one streaming pass over a document that pulls
 * just their values — the leaves {@link QueryEvaluator} would find at each dotted path (arrays
 * flattened, keys that contain dots, every leaf below a flat_object path), as the texts it would
 * compare — without building a JSON tree. Subtrees no field lies in are skipped token by token.
 */
public final class FieldReader {
  private static final int[] NONE = new int[0];
  private static final JsonScanner.Names NO_NAMES = new JsonScanner.Names();

  private final Map<String, Integer> ids = new HashMap<>();
  private final List<String> paths = new ArrayList<>();
  private final Trie root = new Trie();
  private volatile int[] groups;

  /** Fields some query reads as text: not only compared with exact values. */
  private final BitSet textual = new BitSet();

  /** Fields some query compares with exact values: their values are looked up among these. */
  private final BitSet compared = new BitSet();

  /** The exact values queries compare fields with, each as one instance, by its index. */
  private final Map<String, Integer> constantIndex = new HashMap<>();

  private final List<String> constants = new ArrayList<>();

  private volatile Constants lookup;

  private final ThreadLocal<Values> reusable = new ThreadLocal<>();

  /** The id of a field: its values are the scalar leaves at {@code path}, or below it too. */
  int id(String path, boolean descend) {
    int id = id(path, descend ? '+' : '=');
    textual.set(id);
    return id;
  }

  /**
   * As {@link #id(String, boolean)}, for a field a query only compares with exact values ({@link
   * #constants}): unless another query reads its text, a value of it is read as the instance of the
   * constant it equals, looked up by its raw bytes, and a value equal to no constant is left out
   * (no comparison with a constant could hold).
   */
  int exactId(String path, boolean descend) {
    int id = id(path, descend ? '+' : '=');
    compared.set(id);
    return id;
  }

  /**
   * The values as the instances reads give for fields of {@link #exactId}: comparing with them
   * finds identical instances.
   */
  Set<String> constants(Set<String> values) {
    Set<String> out = new LinkedHashSet<>();
    for (String v : values) {
      out.add(constants.get(constantIndex(v)));
    }
    return out;
  }

  /**
   * The index of a constant ({@link Values#code} of a value equal to it), registering it if new.
   */
  int constantIndex(String value) {
    return constantIndex.computeIfAbsent(
        value,
        v -> {
          constants.add(v);
          return constants.size() - 1;
        });
  }

  /** How many constants there are (codes are below it). */
  int constantCount() {
    return constants.size();
  }

  /**
   * The id of a field read as an alert key reads it ({@code DocumentFields.text}): the scalar at
   * {@code path} when no array lies on the way (an array there reads as no value).
   */
  int scalarId(String path) {
    int id = id(path, '!');
    textual.set(id);
    return id;
  }

  /**
   * The constants by their bytes, and which fields read only them; built when first read (rules are
   * all prepared by then; a race only builds it twice).
   */
  private Constants constants() {
    Constants c = lookup;
    if (c == null) {
      String[] values = constants.toArray(String[]::new);
      boolean[] exactOnly = new boolean[paths.size()];
      boolean[] looksUp = new boolean[paths.size()];
      for (int id = 0; id < exactOnly.length; id++) {
        exactOnly[id] = !textual.get(id);
        looksUp[id] = compared.get(id);
      }
      c = new Constants(values, new JsonScanner.Names(values), exactOnly, looksUp);
      lookup = c;
    }
    return c;
  }

  /**
   * Every constant, found by its raw bytes; and per field id, whether it reads only them, and
   * whether its values are looked up among them.
   */
  private record Constants(
      String[] values, JsonScanner.Names names, boolean[] exactOnly, boolean[] looksUp) {
    boolean exactOnly(int id) {
      return id < exactOnly.length && exactOnly[id];
    }

    boolean looksUp(int id) {
      return id < looksUp.length && looksUp[id];
    }
  }

  private int id(String path, char kind) {
    String key = kind + path;
    Integer known = ids.get(key);
    if (known != null) {
      return known;
    }
    int id = paths.size();
    ids.put(key, id);
    paths.add(path);
    Trie node = root;
    for (String segment : path.split("\\.", -1)) {
      node = node.children.computeIfAbsent(segment, s -> new Trie());
    }
    switch (kind) {
      case '+' -> node.flat = append(node.flat, id);
      case '=' -> node.exact = append(node.exact, id);
      default -> node.scalar = append(node.scalar, id);
    }
    node.idle = false;
    return id;
  }

  public int size() {
    return paths.size();
  }

  public String path(int id) {
    return paths.get(id);
  }

  /**
   * The values of every field in the JSON document {@code source[0, length)}, read with the log
   * core's {@link JsonScanner}: field names are matched by their raw bytes, and only the values a
   * field takes are decoded.
   */
  public Values read(byte[] source, int length) throws IOException {
    Values out = new Values(paths.size(), constants());
    JsonScanner scanner = new JsonScanner(new ByteArrayInputStream(source, 0, length));
    scan(scanner, root, NONE, out);
    return out;
  }

  private static void scan(JsonScanner s, Trie node, int[] active, Values out) throws IOException {
    int c = s.peek();
    if (c == '{') {
      s.advance();
      int[] below = node == null ? active : union(active, node.flat);
      if (s.peek() == '}') {
        s.advance();
        return;
      }
      do {
        Trie child = null;
        if (node == null || node.children.isEmpty()) {
          s.name(NO_NAMES); // no path continues below here
        } else {
          Trie.Lookup lookup = node.lookup();
          s.peek();
          long from = s.offset();
          int found = s.name(lookup.names());
          child = found >= 0 ? lookup.nodes()[found] : node.dotted(s, from);
        }
        if (child == null && below.length == 0) {
          s.skipValue();
        } else {
          scan(s, child, below, out);
        }
      } while (separator(s, '}'));
    } else if (c == '[') {
      s.advance();
      if (s.peek() == ']') {
        s.advance();
        return;
      }
      out.arrays++;
      do {
        scan(s, node, active, out);
      } while (separator(s, ']'));
      out.arrays--;
    } else if (c == 'n') {
      s.skipValue();
    } else if (active.length == 0 && (node == null || node.idle)) {
      s.skipValue();
    } else {
      out.scalar(s, c);
      out.give(active);
      if (node != null) {
        out.give(node.exact);
        out.give(node.flat);
        if (out.arrays == 0) {
          out.give(node.scalar);
        }
      }
    }
  }

  /** Consumes a ',' (true: more follow) or the closing {@code close} (false). */
  private static boolean separator(JsonScanner s, char close) throws IOException {
    if (s.peek() == ',') {
      s.advance();
      return true;
    }
    s.expect(close);
    return false;
  }

  /**
   * The text of a scalar other than a string as {@code JsonNode.asText()} gives it after Jackson
   * read the document.
   */
  private static String nonString(JsonScanner s, int c) throws IOException {
    long from = s.offset();
    s.skipValue();
    if (c == 't') {
      return "true";
    }
    if (c == 'f') {
      return "false";
    }
    int length = (int) (s.offset() - from);
    byte[] raw = new byte[length];
    s.copy(from, s.offset(), raw, 0);
    String number = new String(raw, StandardCharsets.ISO_8859_1);
    boolean integral =
        number.indexOf('.') < 0 && number.indexOf('e') < 0 && number.indexOf('E') < 0;
    if (!integral) {
      return JsonNodeFactory.instance.numberNode(Double.parseDouble(number)).asText();
    }
    return length < 19 ? Long.toString(Long.parseLong(number)) : new BigInteger(number).toString();
  }

  /**
   * The values of every field in the JSON document {@code source[0, length)}, read lazily: where
   * its top-level members start is known ({@code members}, null when not), so a field's values are
   * read only when a rule first asks for them, from the members its path begins in. The source must
   * stay unchanged while the values are used, and they are valid until the thread reads the next
   * document this way (one instance is reused: a document's values cost no allocation).
   */
  public Values read(byte[] source, int length, Members members) throws IOException {
    if (members == null
        || !members.complete()
        || members.names() != root.lookup().keys()
        || root.flat.length > 0) {
      return read(source, length); // not noted for these fields, or a field takes every leaf
    }
    Values reused = reusable.get();
    if (reused == null || reused.fields() != paths.size()) {
      reused = new Values(paths.size(), constants(), root.lookup(), groups(), null, 0, null);
      reused.loaded = new boolean[root.lookup().nodes().length];
      reusable.set(reused);
    }
    return reused.reuse(source, length, members);
  }

  /**
   * For each field, the index (in the root's lookup) of the top-level name its path starts with.
   */
  private int[] groups() {
    int[] g = groups;
    if (g == null) {
      Trie.Lookup top = root.lookup();
      g = new int[paths.size()];
      for (int id = 0; id < g.length; id++) {
        Trie first = root.children.get(paths.get(id).split("\\.", -1)[0]);
        g[id] = Arrays.asList(top.nodes()).indexOf(first);
      }
      groups = g;
    }
    return g;
  }

  /**
   * The top-level names the fields' paths begin with, for {@link Members}: noted members refer to
   * them by index (this very array).
   */
  public String[] memberNames() {
    return root.lookup().keys();
  }

  /** The values of every field in the document the parser stands before (at its first token). */
  public Values read(JsonParser parser) throws IOException {
    Values out = new Values(paths.size(), constants());
    JsonToken first = parser.nextToken();
    if (first != null) {
      read(parser, first, root, NONE, out);
    }
    return out;
  }

  /**
   * @param node the trie node of the path read so far, or null when the path left the trie
   * @param active flat fields rooted strictly above this position (they take every leaf below)
   */
  private static void read(JsonParser p, JsonToken token, Trie node, int[] active, Values out)
      throws IOException {
    switch (token) {
      case START_OBJECT -> {
        int[] below = node == null ? active : union(active, node.flat);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          JsonToken value = p.nextToken();
          Trie child = node == null ? null : node.child(key);
          if (child == null && below.length == 0) {
            p.skipChildren();
          } else {
            read(p, value, child, below, out);
          }
        }
      }
      case START_ARRAY -> {
        JsonToken t;
        out.arrays++;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          read(p, t, node, active, out);
        }
        out.arrays--;
      }
      case VALUE_NULL -> {}
      default -> {
        if (active.length == 0 && (node == null || node.idle)) {
          return;
        }
        out.scalar(text(p, token));
        out.give(active);
        if (node != null) {
          out.give(node.exact);
          out.give(node.flat);
          if (out.arrays == 0) {
            out.give(node.scalar);
          }
        }
      }
    }
  }

  /** The text {@code JsonNode.asText()} gives for the scalar, as the reference evaluator reads. */
  private static String text(JsonParser p, JsonToken token) throws IOException {
    return switch (token) {
      case VALUE_STRING -> p.getText();
      case VALUE_TRUE -> "true";
      case VALUE_FALSE -> "false";
      case VALUE_NUMBER_INT -> p.getNumberValue().toString();
      case VALUE_NUMBER_FLOAT -> JsonNodeFactory.instance.numberNode(p.getDoubleValue()).asText();
      default -> p.getText();
    };
  }

  private static int[] union(int[] a, int[] b) {
    if (b.length == 0) {
      return a;
    }
    if (a.length == 0) {
      return b;
    }
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static int[] append(int[] a, int id) {
    int[] out = Arrays.copyOf(a, a.length + 1);
    out[a.length] = id;
    return out;
  }

  private static final class Trie {
    final Map<String, Trie> children = new HashMap<>();
    int[] exact = NONE;
    int[] flat = NONE;
    int[] scalar = NONE;
    boolean idle = true; // no field takes a scalar here (so its text need not even be read)
    private volatile Lookup lookup;

    /** The children's names as the scanner matches them, and the child of each index. */
    record Lookup(String[] keys, JsonScanner.Names names, Trie[] nodes) {}

    /** Built when first read (rules are all prepared by then); a race only builds it twice. */
    Lookup lookup() {
      Lookup l = lookup;
      if (l == null) {
        String[] keys = children.keySet().toArray(String[]::new);
        Trie[] nodes = new Trie[keys.length];
        for (int i = 0; i < keys.length; i++) {
          nodes[i] = children.get(keys[i]);
        }
        l = new Lookup(keys, new JsonScanner.Names(keys), nodes);
        lookup = l;
      }
      return l;
    }

    /**
     * The node a name no child has exactly may still lead to: a key holding dots. {@code from} is
     * the offset of the name's opening quote; the scanner stands after its colon.
     */
    Trie dotted(JsonScanner s, long from) throws IOException {
      long end = s.offset() - 1; // the colon
      while (s.byteAt(end - 1) != '"') {
        end--; // whitespace between the name and its colon
      }
      return s.holds('.', from + 1, end - 1) ? child(s.lastStringText(from, end)) : null;
    }

    /**
     * The node a document key leads to. A key holding dots spans several path segments, but a flat
     * field ending inside it does not take what lies below it (the reference matches a path against
     * whole keys), which is why only the final node's flat fields apply.
     */
    Trie child(String key) {
      Trie direct = children.get(key);
      if (direct != null || key.indexOf('.') < 0) {
        return direct;
      }
      Trie node = this;
      int start = 0;
      while (node != null) {
        int dot = key.indexOf('.', start);
        String segment = dot < 0 ? key.substring(start) : key.substring(start, dot);
        node = node.children.get(segment);
        if (dot < 0) {
          return node;
        }
        start = dot + 1;
      }
      return null;
    }
  }

  /**
   * The values read from one document, per field id: all of them at once, or (with {@link Members})
   * the fields under one top-level name at a time, when first asked for.
   */
  public static final class Values {
    // Each field's values as a chain through one array (no list per field): cursors are 1 + the
    // index of a value, 0 ends a chain.
    private final int[] first;
    private final int[] last;
    private String[] texts = new String[16];
    private int[] codes = new int[16];
    private int[] following = new int[16];
    private int size;
    private final Constants constants;
    int arrays; // how many arrays enclose the value being read

    // The scalar being read: its text (null until needed, for a string), the index of the
    // constant it equals (-1: none; looked up when first needed), where the string lies in the
    // scanner.
    private String text;
    private int code;
    private boolean looked;
    private JsonScanner at;
    private long from;
    private long to;

    // Lazy reading: the source, where its members' values start, and which top-level names were
    // read.
    private final Trie.Lookup top;
    private final int[] groups;
    private byte[] source;
    private int length;
    private Members members;
    private boolean[] loaded;
    private JsonScanner scanner;
    // The noted members of each group, in order: chains through the members (1 + index; 0 ends),
    // made on the first load of a document.
    private int[] firstMember;
    private int[] lastMember;
    private int[] nextMember = new int[16];
    private boolean chained;

    Values(int fields, Constants constants) {
      this(fields, constants, null, null, null, 0, null);
    }

    Values(
        int fields,
        Constants constants,
        Trie.Lookup top,
        int[] groups,
        byte[] source,
        int length,
        Members members) {
      first = new int[fields];
      last = new int[fields];
      this.constants = constants;
      this.top = top;
      this.groups = groups;
      this.source = source;
      this.length = length;
      this.members = members;
      if (source != null) {
        loaded = new boolean[top.nodes().length];
      }
    }

    /** Empties these values for reading another document lazily, as the constructor does. */
    Values reuse(byte[] source, int length, Members members) {
      Arrays.fill(first, 0);
      Arrays.fill(loaded, false);
      chained = false;
      size = 0;
      arrays = 0;
      if (source != this.source || length != this.length) {
        scanner = null;
      }
      this.source = source;
      this.length = length;
      this.members = members;
      return this;
    }

    int fields() {
      return first.length;
    }

    private long[] scratch = new long[0];

    /** {@code words} longs, all clear, for a caller's bits about this document. */
    long[] scratch(int words) {
      if (scratch.length != words) {
        scratch = new long[words];
      } else {
        Arrays.fill(scratch, 0);
      }
      return scratch;
    }

    /** Reads the scalar at hand ({@code c}: its first byte), to be given to fields. */
    void scalar(JsonScanner s, int c) throws IOException {
      looked = false;
      if (c == '"') {
        from = s.offset();
        s.string();
        to = s.offset();
        at = s;
        text = null;
      } else {
        at = null;
        text = nonString(s, c);
      }
    }

    /** Takes {@code text} as the scalar at hand, to be given to fields. */
    void scalar(String text) {
      looked = false;
      at = null;
      this.text = text;
    }

    /**
     * Adds the scalar at hand to each field of {@code ids}, as each reads it: a field compared with
     * constants gets the constant's own instance and index when it equals one, and a field only
     * compared with constants nothing when it equals none.
     */
    void give(int[] ids) throws IOException {
      for (int id : ids) {
        boolean lookup = constants.looksUp(id);
        if (lookup && !looked) {
          code =
              at == null
                  ? constants.names().find(text)
                  : at.lastStringIn(constants.names(), from, to);
          looked = true;
        }
        if (lookup && code >= 0) {
          add(id, constants.values()[code], code);
        } else if (!constants.exactOnly(id)) {
          if (text == null) {
            text = looked && code >= 0 ? constants.values()[code] : at.lastStringText(from, to);
          }
          add(id, text, -1);
        }
      }
    }

    void add(int id, String text, int code) {
      if (size == texts.length) {
        texts = Arrays.copyOf(texts, size * 2);
        codes = Arrays.copyOf(codes, size * 2);
        following = Arrays.copyOf(following, size * 2);
      }
      texts[size] = text;
      codes[size] = code;
      following[size] = 0;
      int cursor = ++size;
      if (first[id] == 0) {
        first[id] = cursor;
      } else {
        following[last[id] - 1] = cursor;
      }
      last[id] = cursor;
    }

    /**
     * The cursor on the first value of field {@code id} (0: none); {@link #next} moves on, {@link
     * #text} reads: what queries use instead of {@link #of}, which makes a list.
     */
    public int first(int id) {
      if (loaded != null) {
        load(groups[id]);
      }
      return first[id];
    }

    /** The cursor on the value after the one at {@code cursor} of the same field (0: none). */
    public int next(int cursor) {
      return following[cursor - 1];
    }

    /** The text at {@code cursor}. */
    public String text(int cursor) {
      return texts[cursor - 1];
    }

    /**
     * The index of the constant the value at {@code cursor} equals, for a field queries compare
     * with constants ({@code -1}: it equals none, or the field is not compared).
     */
    int code(int cursor) {
      return codes[cursor - 1];
    }

    /** The texts of field {@code id} (empty when the document has none). */
    public List<String> of(int id) {
      List<String> out = new ArrayList<>(2);
      for (int v = first(id); v != 0; v = next(v)) {
        out.add(text(v));
      }
      return out;
    }

    /** Chains the noted members of each group, in order. */
    private void chain() {
      int groups = loaded.length;
      if (firstMember == null || firstMember.length != groups) {
        firstMember = new int[groups];
        lastMember = new int[groups];
      } else {
        Arrays.fill(firstMember, 0);
      }
      if (nextMember.length < members.count()) {
        nextMember = new int[members.count() * 2];
      }
      for (int i = 0; i < members.count(); i++) {
        int group = members.group(i);
        nextMember[i] = 0;
        if (firstMember[group] == 0) {
          firstMember[group] = i + 1;
        } else {
          nextMember[lastMember[group] - 1] = i + 1;
        }
        lastMember[group] = i + 1;
      }
      chained = true;
    }

    /** Reads the members under top-level name {@code group} (an index in the root's lookup). */
    private void load(int group) {
      if (group < 0 || loaded[group]) {
        return;
      }
      loaded[group] = true;
      if (scanner == null) {
        scanner = JsonScanner.over(source, length);
      }
      if (!chained) {
        chain();
      }
      Trie node = top.nodes()[group];
      try {
        for (int m = firstMember[group]; m != 0; m = nextMember[m - 1]) {
          scanner.seek(members.start(m - 1));
          scan(scanner, node, NONE, this);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
