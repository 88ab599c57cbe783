package org.jrave.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0).
 *
 * <p>Reads float32 and float64 (rounded to float) and signed/unsigned 8- to 64-bit integers
 * (converted to float), either byte order, C or Fortran order (Fortran data is transposed to C
 * order), any rank. Writes little-endian float32 in C order with a version 1.0 header padded so
 * the data starts at a multiple of 64 bytes, as NumPy does (version 2.0 if the header is too long
 * for 1.0). Writes are atomic.
 */
public final class NpyFile {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int BLOCK_BYTES = 1 << 20;
  private static final int MAX_HEADER = 1 << 24;

  private enum Kind { FLOAT, SIGNED, UNSIGNED }

  private record Dtype(Kind kind, int size, ByteOrder order) {}

  private NpyFile() {}

  public static NpyArray read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long fileSize = ch.size();
      if (fileSize < 10) {
        throw error(file, "not a .npy file (only " + fileSize + " bytes)");
      }
      ByteBuffer pre = ChannelReads.readAt(ch, 0, 12 <= fileSize ? 12 : 10);
      for (int i = 0; i < MAGIC.length; i++) {
        if (pre.get(i) != MAGIC[i]) {
          throw error(file, "not a .npy file (bad magic)");
        }
      }
      int major = pre.get(6) & 0xFF;
      int minor = pre.get(7) & 0xFF;
      long headerLen;
      int headerStart;
      Charset charset;
      if (major == 1 && minor == 0) {
        headerLen = Short.toUnsignedInt(pre.getShort(8));
        headerStart = 10;
        charset = StandardCharsets.ISO_8859_1;
      } else if ((major == 2 || major == 3) && minor == 0 && fileSize >= 12) {
        headerLen = Integer.toUnsignedLong(pre.getInt(8));
        headerStart = 12;
        charset = major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
      } else {
        throw error(file, "unsupported .npy format version " + major + "." + minor);
      }
      if (headerLen > MAX_HEADER || headerStart + headerLen > fileSize) {
        throw error(file, "truncated header (declares " + headerLen + " bytes)");
      }
      ByteBuffer hb = ChannelReads.readAt(ch, headerStart, (int) headerLen);
      String header = new String(hb.array(), charset);
      Map<String, Object> dict;
      try {
        dict = new HeaderParser(header).parseDict();
      } catch (IllegalArgumentException e) {
        throw error(file, "malformed header (" + e.getMessage() + "): " + header.strip());
      }
      Dtype dtype = parseDtype(file, dict.get("descr"));
      Object fortranValue = dict.get("fortran_order");
      if (!(fortranValue instanceof Boolean fortran)) {
        throw error(file, "header has no boolean 'fortran_order'");
      }
      long[] shape = parseShape(file, dict.get("shape"));
      long count = 1;
      for (long d : shape) {
        count = Math.multiplyExact(count, d);
      }
      if (count > Integer.MAX_VALUE - 8) {
        throw error(file, "too many elements to read into memory (" + count + ")");
      }
      long dataStart = headerStart + headerLen;
      long needed = count * dtype.size();
      if (dataStart + needed > fileSize) {
        throw error(file, "truncated data (needs " + needed + " bytes, only " + (fileSize - dataStart)
            + " present)");
      }
      float[] data = readData(ch, dataStart, (int) count, dtype);
      if (fortran && shape.length > 1) {
        data = fortranToC(data, shape);
      }
      return new NpyArray(shape, data);
    }
  }

  /** Writes little-endian float32, C order, format 1.0 (2.0 if the header needs it). */
  public static void write(Path file, NpyArray array) throws IOException {
    long[] shape = array.shape();
    StringBuilder sb = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    sb.append(shape.length == 1 ? ",), }" : "), }");
    int prefix = 10;
    int len = sb.length() + 1; // + '\n'
    if (prefix + len > 0xFFFF) {
      prefix = 12;
    }
    int padded = ((prefix + len + 63) / 64) * 64 - prefix;
    sb.append(" ".repeat(padded - len)).append('\n');
    byte[] header = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer pre = ByteBuffer.allocate(prefix).order(ByteOrder.LITTLE_ENDIAN);
    pre.put(MAGIC).put((byte) (prefix == 10 ? 1 : 2)).put((byte) 0);
    if (prefix == 10) {
      pre.putShort((short) header.length);
    } else {
      pre.putInt(header.length);
    }
    float[] data = array.data();
    AtomicFiles.write(file, out -> {
      out.write(pre.array());
      out.write(header);
      ByteBuffer buf = ByteBuffer.allocate(BLOCK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < data.length; ) {
        buf.clear();
        while (i < data.length && buf.remaining() >= 4) {
          buf.putInt(Float.floatToRawIntBits(data[i++]));
        }
        out.write(buf.array(), 0, buf.position());
      }
    });
  }

  private static Dtype parseDtype(Path file, Object descr) throws IOException {
    if (!(descr instanceof String s)) {
      throw error(file, "unsupported dtype " + descr + " (structured or missing 'descr')");
    }
    if (s.length() < 3) {
      throw error(file, "unsupported dtype '" + s + "'");
    }
    char order = s.charAt(0);
    char kindChar = s.charAt(1);
    int size;
    try {
      size = Integer.parseInt(s.substring(2));
    } catch (NumberFormatException e) {
      throw error(file, "unsupported dtype '" + s + "'");
    }
    Kind kind = switch (kindChar) {
      case 'f' -> size == 4 || size == 8 ? Kind.FLOAT : null;
      case 'i' -> size == 1 || size == 2 || size == 4 || size == 8 ? Kind.SIGNED : null;
      case 'u' -> size == 1 || size == 2 || size == 4 || size == 8 ? Kind.UNSIGNED : null;
      default -> null;
    };
    // '|' (not applicable) is only valid for single bytes; '=' (native) never appears in files NumPy writes.
    boolean orderOk = order == '<' || order == '>' || (order == '|' && size == 1);
    if (kind == null || !orderOk) {
      throw error(file, "unsupported dtype '" + s + "'");
    }
    return new Dtype(kind, size, order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
  }

  private static long[] parseShape(Path file, Object value) throws IOException {
    if (!(value instanceof List<?> dims)) {
      throw error(file, "header has no tuple 'shape'");
    }
    long[] shape = new long[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      if (!(dims.get(i) instanceof Long d) || d < 0) {
        throw error(file, "invalid shape " + dims);
      }
      shape[i] = d;
    }
    return shape;
  }

  private static float[] readData(FileChannel ch, long start, int count, Dtype t) throws IOException {
    float[] out = new float[count];
    int perBlock = BLOCK_BYTES / t.size();
    ByteBuffer buf = ByteBuffer.allocate(perBlock * t.size()).order(t.order());
    for (int i = 0; i < count; ) {
      int n = Math.min(perBlock, count - i);
      buf.clear().limit(n * t.size());
      ChannelReads.readFully(ch, buf, start + (long) i * t.size());
      buf.flip();
      for (int k = 0; k < n; k++) {
        out[i++] = decode(buf, t);
      }
    }
    return out;
  }

  private static float decode(ByteBuffer b, Dtype t) {
    return switch (t.kind()) {
      case FLOAT -> t.size() == 4 ? b.getFloat() : (float) b.getDouble();
      case SIGNED -> switch (t.size()) {
        case 1 -> b.get();
        case 2 -> b.getShort();
        case 4 -> b.getInt();
        default -> b.getLong();
      };
      case UNSIGNED -> switch (t.size()) {
        case 1 -> b.get() & 0xFF;
        case 2 -> b.getShort() & 0xFFFF;
        case 4 -> Integer.toUnsignedLong(b.getInt());
        default -> unsignedLongToFloat(b.getLong());
      };
    };
  }

  private static float unsignedLongToFloat(long v) {
    // Halve with the low bit kept sticky so the final rounding to float stays correct.
    return v >= 0 ? v : 2f * ((v >>> 1) | (v & 1));
  }

  /** Reorders Fortran (first axis fastest) data into C (last axis fastest) order. */
  static float[] fortranToC(float[] src, long[] shape) {
    int rank = shape.length;
    long[] cStride = new long[rank];
    long stride = 1;
    for (int k = rank - 1; k >= 0; k--) {
      cStride[k] = stride;
      stride *= shape[k];
    }
    float[] dst = new float[src.length];
    long[] idx = new long[rank];
    long offset = 0;
    for (int i = 0; i < src.length; i++) {
      dst[(int) offset] = src[i];
      // Advance the multi-index with axis 0 varying fastest, keeping the C offset in step.
      for (int k = 0; k < rank; k++) {
        if (++idx[k] < shape[k]) {
          offset += cStride[k];
          break;
        }
        offset -= (idx[k] - 1) * cStride[k];
        idx[k] = 0;
      }
    }
    return dst;
  }

  private static IOException error(Path file, String problem) {
    return new IOException(file + ": " + problem);
  }

  /** Parses the Python dict literal of a .npy header (strings, ints, booleans, None, tuples, lists). */
  private static final class HeaderParser {
    private final String s;
    private int pos;

    HeaderParser(String s) {
      this.s = s;
    }

    Map<String, Object> parseDict() {
      skipSpace();
      expect('{');
      Map<String, Object> map = new LinkedHashMap<>();
      while (true) {
        skipSpace();
        if (peek() == '}') {
          pos++;
          break;
        }
        Object key = value();
        if (!(key instanceof String k)) {
          throw new IllegalArgumentException("non-string key " + key);
        }
        skipSpace();
        expect(':');
        map.put(k, value());
        skipSpace();
        if (peek() == ',') {
          pos++;
        } else if (peek() != '}') {
          throw new IllegalArgumentException("expected ',' or '}' at offset " + pos);
        }
      }
      skipSpace();
      if (pos != s.length()) {
        throw new IllegalArgumentException("trailing characters at offset " + pos);
      }
      return map;
    }

    private Object value() {
      skipSpace();
      char c = peek();
      if (c == '\'' || c == '"') {
        int end = s.indexOf(c, pos + 1);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated string");
        }
        String v = s.substring(pos + 1, end);
        pos = end + 1;
        return v;
      }
      if (c == '(' || c == '[') {
        char close = c == '(' ? ')' : ']';
        pos++;
        List<Object> items = new ArrayList<>();
        while (true) {
          skipSpace();
          if (peek() == close) {
            pos++;
            return items;
          }
          items.add(value());
          skipSpace();
          if (peek() == ',') {
            pos++;
          } else if (peek() != close) {
            throw new IllegalArgumentException("expected ',' or '" + close + "' at offset " + pos);
          }
        }
      }
      int start = pos;
      while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_'
          || s.charAt(pos) == '-')) {
        pos++;
      }
      String word = s.substring(start, pos);
      switch (word) {
        case "True": return Boolean.TRUE;
        case "False": return Boolean.FALSE;
        case "None": return null;
        default:
          // Python 2 NumPy wrote long dimensions with an 'L' suffix.
          String digits = word.endsWith("L") ? word.substring(0, word.length() - 1) : word;
          try {
            return Long.parseLong(digits);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unexpected '" + word + "' at offset " + start);
          }
      }
    }

    private char peek() {
      if (pos >= s.length()) {
        throw new IllegalArgumentException("unexpected end");
      }
      return s.charAt(pos);
    }

    private void expect(char c) {
      if (peek() != c) {
        throw new IllegalArgumentException("expected '" + c + "' at offset " + pos);
      }
      pos++;
    }

    private void skipSpace() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }
  }
}
