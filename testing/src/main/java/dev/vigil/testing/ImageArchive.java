package dev.vigil.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * A container image archive in the docker-archive format (what {@code docker save} and Jib's {@code
 * buildTar} write, what {@code ctr images import} reads), opened for checks: its tags, the image
 * config and the file system its layers add up to. Reading it verifies what an importer verifies:
 * every layer listed, and each layer's uncompressed content hashing to its {@code diff_id}.
 */
public final class ImageArchive {
  /** Regular files up to this size keep their content (enough for /etc files and small texts). */
  private static final int KEPT_CONTENT = 64 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One path of the image's file system, as the topmost layer holding it left it. */
  public record Entry(
      String path, char type, int mode, int uid, int gid, long size, String linkName) {
    public boolean isFile() {
      return type == '0';
    }

    public boolean isDirectory() {
      return type == '5';
    }

    public boolean isSymlink() {
      return type == '2';
    }
  }

  private final List<String> repoTags;
  private final JsonNode config;
  private final List<List<Entry>> layers;
  private final Map<String, Entry> files;
  private final Map<String, byte[]> contents;

  private ImageArchive(
      List<String> repoTags,
      JsonNode config,
      List<List<Entry>> layers,
      Map<String, Entry> files,
      Map<String, byte[]> contents) {
    this.repoTags = repoTags;
    this.config = config;
    this.layers = layers;
    this.files = files;
    this.contents = contents;
  }

  public static ImageArchive read(Path archive) throws IOException {
    if (!Files.isRegularFile(archive)) {
      throw new IOException("no image archive at " + archive);
    }
    // First pass: the small JSON files, wherever they are in the archive.
    Map<String, byte[]> json = new HashMap<>();
    forEachEntry(
        archive,
        (tar, header) -> {
          if (header.name().endsWith(".json")) {
            json.put(header.name(), tar.content(header));
          }
        });
    byte[] manifestBytes = json.get("manifest.json");
    if (manifestBytes == null) {
      throw new IOException(archive + " has no manifest.json: not a docker-archive");
    }
    JsonNode manifest = JSON.readTree(manifestBytes);
    if (!manifest.isArray() || manifest.size() != 1) {
      throw new IOException(archive + ": manifest.json should describe exactly one image");
    }
    JsonNode image = manifest.get(0);
    byte[] configBytes = json.get(image.path("Config").asText());
    if (configBytes == null) {
      throw new IOException(archive + ": config " + image.path("Config") + " is missing");
    }
    JsonNode imageConfig = JSON.readTree(configBytes);
    List<String> layerNames = new ArrayList<>();
    image.path("Layers").forEach(l -> layerNames.add(l.asText()));
    List<String> diffIds = new ArrayList<>();
    imageConfig.path("rootfs").path("diff_ids").forEach(d -> diffIds.add(d.asText()));
    if (layerNames.size() != diffIds.size()) {
      throw new IOException(
          archive
              + ": "
              + layerNames.size()
              + " layers in manifest.json but "
              + diffIds.size()
              + " diff_ids in the config");
    }
    List<String> tags = new ArrayList<>();
    image.path("RepoTags").forEach(t -> tags.add(t.asText()));

    // Second pass: every layer, in the archive's order, mapped back to the manifest's order.
    Map<String, List<Entry>> byName = new HashMap<>();
    Map<String, Map<String, byte[]>> contentByLayer = new HashMap<>();
    Map<String, String> digests = new HashMap<>();
    forEachEntry(
        archive,
        (tar, header) -> {
          if (layerNames.contains(header.name())) {
            Map<String, byte[]> kept = new HashMap<>();
            List<Entry> entries = new ArrayList<>();
            digests.put(header.name(), readLayer(tar.stream(header), entries, kept));
            byName.put(header.name(), entries);
            contentByLayer.put(header.name(), kept);
          }
        });
    List<List<Entry>> layers = new ArrayList<>();
    Map<String, Entry> files = new LinkedHashMap<>();
    Map<String, byte[]> contents = new HashMap<>();
    for (int i = 0; i < layerNames.size(); i++) {
      String name = layerNames.get(i);
      if (!byName.containsKey(name)) {
        throw new IOException(archive + ": layer " + name + " is listed but not in the archive");
      }
      if (!digests.get(name).equals(diffIds.get(i))) {
        throw new IOException(
            archive
                + ": layer "
                + name
                + " has content "
                + digests.get(name)
                + " but the config says "
                + diffIds.get(i));
      }
      layers.add(byName.get(name));
      for (Entry entry : byName.get(name)) {
        files.put(entry.path(), entry); // no whiteouts in the images checked here
      }
      contents.putAll(contentByLayer.get(name));
    }
    return new ImageArchive(List.copyOf(tags), imageConfig, layers, files, contents);
  }

  /** The image references the archive is tagged with (manifest.json's RepoTags). */
  public List<String> repoTags() {
    return repoTags;
  }

  /** The image's run configuration: the {@code config} object (User, Entrypoint, Env, …). */
  public JsonNode runConfig() {
    return config.path("config");
  }

  public int layerCount() {
    return layers.size();
  }

  /** The entry at an absolute path of the image's file system. */
  public Optional<Entry> entry(String path) {
    return Optional.ofNullable(files.get(normalize(path)));
  }

  /** Every path of the image's file system. */
  public List<Entry> entries() {
    return List.copyOf(files.values());
  }

  /** The text of a small regular file (up to 64 KiB). */
  public String text(String path) {
    byte[] data = contents.get(normalize(path));
    if (data == null) {
      throw new IllegalArgumentException("no small regular file " + path + " in the image");
    }
    return new String(data, StandardCharsets.UTF_8);
  }

  private static String normalize(String path) {
    String p = path.startsWith("/") ? path : "/" + path;
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  /** Reads one layer (gzipped or not), returning the sha256 of its uncompressed tar. */
  private static String readLayer(InputStream raw, List<Entry> entries, Map<String, byte[]> kept)
      throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(raw);
    buffered.mark(2);
    boolean gzipped = buffered.read() == 0x1f && buffered.read() == 0x8b;
    buffered.reset();
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    InputStream uncompressed = gzipped ? new GZIPInputStream(buffered, 1 << 16) : buffered;
    DigestInputStream digesting = new DigestInputStream(uncompressed, sha256);
    TarEntries tar = new TarEntries(digesting);
    for (TarEntries.Header h = tar.next(); h != null; h = tar.next()) {
      Entry entry =
          new Entry(
              normalize(h.name()), h.type(), h.mode(), h.uid(), h.gid(), h.size(), h.linkName());
      entries.add(entry);
      if (entry.isFile() && h.size() <= KEPT_CONTENT) {
        kept.put(entry.path(), tar.content(h));
      }
    }
    digesting.transferTo(OutputStream.nullOutputStream()); // the trailing blocks count too
    return "sha256:" + HexFormat.of().formatHex(sha256.digest());
  }

  private interface EntryVisitor {
    void visit(TarEntries tar, TarEntries.Header header) throws IOException;
  }

  private static void forEachEntry(Path archive, EntryVisitor visitor) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(archive), 1 << 16)) {
      TarEntries tar = new TarEntries(in);
      for (TarEntries.Header h = tar.next(); h != null; h = tar.next()) {
        visitor.visit(tar, h);
      }
    }
  }
}
