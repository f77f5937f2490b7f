package dev.vigil.ingester.detect;

import dev.vigil.core.LogType;
import dev.vigil.core.parse.ParsedDocument;

/**
 * Sees every normalized document before it is indexed — where streaming detection plugs in. Called
 * on the thread parsing the document's object, so implementations must be thread-safe and quick;
 * the document must not be changed nor kept after the call (its source may still lie in the
 * parser's buffer; {@link ParsedDocument#source()} returns bytes to keep). An exception is counted
 * ({@code vigil_ingester_hook_failures_total}) and logged, and the document is indexed all the
 * same.
 */
@FunctionalInterface
public interface DetectionHook {
  /** The default: looks at nothing. */
  DetectionHook NONE = document -> {};

  void inspect(ParsedDocument document);

  /**
   * The top-level names the hook reads from documents of {@code type}, for the parser to note where
   * they lie ({@link ParsedDocument#members()}); null (the default) when it reads none that way.
   */
  default String[] memberNames(LogType type) {
    return null;
  }
}
