package dev.vigil.core.parse;

import dev.vigil.core.LogType;
import java.io.IOException;
import java.io.InputStream;

/** Turns the decompressed content of one object of a log type into documents, streaming. */
public interface LogParser {
  LogType type();

  /**
   * Emits a document per record through {@code context}; a bad record is rejected there and parsing
   * goes on with the next one. Throws only when the content cannot be read at all (then nothing
   * more can be recovered from it).
   */
  void parse(InputStream content, ParseContext context) throws IOException;
}
