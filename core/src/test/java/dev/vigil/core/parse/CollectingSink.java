package dev.vigil.core.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Keeps everything a parser delivers, for assertions. */
public final class CollectingSink implements DocumentSink {
  private static final ObjectMapper JSON = new ObjectMapper();

  public final List<ParsedDocument> documents = new ArrayList<>();
  public final List<Rejection> rejections = new ArrayList<>();
  public final List<String> skipped = new ArrayList<>();

  @Override
  public void document(ParsedDocument document) {
    documents.add(document);
  }

  @Override
  public void rejected(Rejection rejection) {
    rejections.add(rejection);
  }

  @Override
  public void skipped(ObjectRef origin, String reason) {
    skipped.add(reason);
  }

  /** Each document's source as a tree (tests only; the pipeline never builds trees). */
  public List<JsonNode> sources() {
    return documents.stream().map(CollectingSink::tree).toList();
  }

  public static JsonNode tree(ParsedDocument document) {
    try {
      return JSON.readTree(document.source());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "document " + document.id() + " is not valid JSON: " + document.sourceAsString(), e);
    }
  }

  /** Parses bytes as the given object with every standard parser. */
  public static CollectingSink parse(byte[] raw, ObjectRef origin, dev.vigil.core.LogType type) {
    CollectingSink sink = new CollectingSink();
    try {
      ObjectParser.standard().parse(new ByteArrayInputStream(raw), origin, type, sink);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sink;
  }
}
