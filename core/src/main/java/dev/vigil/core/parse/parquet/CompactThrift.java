package dev.vigil.core.parse.parquet;

import java.nio.charset.StandardCharsets;

/**
 * Reads Thrift's compact protocol, the encoding of Parquet's footer and page headers
 * (https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md). Only what
 * Parquet's metadata uses; fields a caller does not ask for are skipped by type.
 */
final class CompactThrift {
  static final int STOP = 0;
  static final int TRUE = 1;
  static final int FALSE = 2;
  static final int BYTE = 3;
  static final int I16 = 4;
  static final int I32 = 5;
  static final int I64 = 6;
  static final int DOUBLE = 7;
  static final int BINARY = 8;
  static final int LIST = 9;
  static final int SET = 10;
  static final int MAP = 11;
  static final int STRUCT = 12;

  private final byte[] bytes;
  private int position;
  private final int limit;

  CompactThrift(byte[] bytes, int offset, int limit) {
    this.bytes = bytes;
    this.position = offset;
    this.limit = limit;
  }

  int position() {
    return position;
  }

  /** The header of the next field of the current struct: its id and type; type STOP at the end. */
  final class Field {
    int id;
    int type;
  }

  /** Reads the next field header into {@code field}, given the previous field's id. */
  boolean next(Field field) throws ParquetException {
    int header = readByte();
    int type = header & 0x0f;
    if (type == STOP) {
      field.type = STOP;
      return false;
    }
    int delta = (header >>> 4) & 0x0f;
    field.id = delta == 0 ? (short) zigzag(varint()) : field.id + delta;
    field.type = type;
    return true;
  }

  Field newField() {
    return new Field();
  }

  boolean bool(Field field) {
    return field.type == TRUE;
  }

  int i32() throws ParquetException {
    return (int) zigzag(varint());
  }

  long i64() throws ParquetException {
    return zigzag(varint());
  }

  String string() throws ParquetException {
    int length = (int) varint();
    require(length);
    String text = new String(bytes, position, length, StandardCharsets.UTF_8);
    position += length;
    return text;
  }

  /** Element count and type of a list header; the elements follow. */
  int listSize() throws ParquetException {
    int header = readByte();
    lastElementType = header & 0x0f;
    int size = (header >>> 4) & 0x0f;
    return size == 15 ? (int) varint() : size;
  }

  private int lastElementType;

  int elementType() {
    return lastElementType;
  }

  /** Skips a value of {@code type} (a whole struct, list or map included). */
  void skip(int type) throws ParquetException {
    switch (type) {
      case TRUE, FALSE -> {}
      case BYTE -> readByte();
      case I16, I32, I64 -> varint();
      case DOUBLE -> {
        require(8);
        position += 8;
      }
      case BINARY -> {
        int length = (int) varint();
        require(length);
        position += length;
      }
      case LIST, SET -> {
        int size = listSize();
        int element = lastElementType;
        for (int i = 0; i < size; i++) {
          skipElement(element);
        }
      }
      case MAP -> {
        int size = (int) varint();
        if (size > 0) {
          int types = readByte();
          for (int i = 0; i < size; i++) {
            skipElement((types >>> 4) & 0x0f);
            skipElement(types & 0x0f);
          }
        }
      }
      case STRUCT -> skipStruct();
      default -> throw new ParquetException("unknown Thrift type " + type + " at byte " + position);
    }
  }

  void skipStruct() throws ParquetException {
    Field field = new Field();
    while (next(field)) {
      skip(field.type);
    }
  }

  // In lists, sets and maps a boolean is a byte of its own.
  private void skipElement(int type) throws ParquetException {
    if (type == TRUE || type == FALSE) {
      readByte();
    } else {
      skip(type);
    }
  }

  private int readByte() throws ParquetException {
    require(1);
    return bytes[position++] & 0xff;
  }

  private long varint() throws ParquetException {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = readByte();
      value |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new ParquetException("varint longer than 10 bytes at byte " + position);
  }

  private static long zigzag(long n) {
    return (n >>> 1) ^ -(n & 1);
  }

  private void require(int count) throws ParquetException {
    if (count < 0 || position + count > limit) {
      throw new ParquetException("metadata ends early at byte " + position);
    }
  }
}
