package dev.vigil.core.parse.parquet;

import java.io.IOException;

/** A Parquet file Vigil cannot read: damaged, or using a feature outside what it reads. */
public final class ParquetException extends IOException {
  public ParquetException(String message) {
    super(message);
  }

  public ParquetException(String message, Throwable cause) {
    super(message, cause);
  }
}
