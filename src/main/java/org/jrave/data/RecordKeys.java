package org.jrave.data;

import java.nio.charset.StandardCharsets;

/** LMDB keys: ASCII decimal ids zero-padded to 8 digits, so lexicographic order is id order. */
final class RecordKeys {
  private RecordKeys() {}

  static byte[] key(long id) {
    return String.format("%08d", id).getBytes(StandardCharsets.US_ASCII);
  }

  /** The id of a key, or -1 when the key is not a decimal id. */
  static long id(byte[] key) {
    if (key.length == 0 || key.length > 18) {
      return -1;
    }
    long id = 0;
    for (byte b : key) {
      if (b < '0' || b > '9') {
        return -1;
      }
      id = id * 10 + (b - '0');
    }
    return id;
  }
}
