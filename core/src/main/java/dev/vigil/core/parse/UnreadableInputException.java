package dev.vigil.core.parse;

import java.io.IOException;

/**
 * The object cannot be read at all: not gzip/zlib/JSON/text of a known type, or its type cannot be
 * told.
 */
public final class UnreadableInputException extends IOException {
  public UnreadableInputException(String message) {
    super(message);
  }

  public UnreadableInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
