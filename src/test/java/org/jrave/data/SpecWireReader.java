package org.jrave.data;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent reader of AudioExample values written from the spec's field table (§6.2) and
 * the protobuf wire format alone — it shares no code with the generated classes or the codec.
 */
final class SpecWireReader {
  record Buffer(List<Integer> shape, Integer samplingRate, byte[] data, Integer precision, Map<String, String> metadata, String format) {}

  record Example(Map<String, Buffer> buffers, Map<String, String> metadata) {}

  private final byte[] b;
  private int pos;
  private final int end;

  private SpecWireReader(byte[] b, int from, int to) {
    this.b = b;
    this.pos = from;
    this.end = to;
  }

  static Example parse(byte[] value) {
    SpecWireReader r = new SpecWireReader(value, 0, value.length);
    Map<String, Buffer> buffers = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    while (r.pos < r.end) {
      long tag = r.varint();
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (wire != 2) {
        throw new IllegalStateException("AudioExample field " + field + " has wire type " + wire);
      }
      SpecWireReader entry = r.sub();
      if (field == 1) {
        String key = null;
        Buffer buf = null;
        while (entry.pos < entry.end) {
          long t = entry.varint();
          SpecWireReader v = entry.sub();
          if ((t >>> 3) == 1) {
            key = v.string();
          } else {
            buf = v.buffer();
          }
        }
        buffers.put(key, buf);
      } else if (field == 2) {
        entry.mapEntryInto(metadata);
      }
    }
    return new Example(buffers, metadata);
  }

  private Buffer buffer() {
    List<Integer> shape = new ArrayList<>();
    Integer sr = null;
    Integer precision = null;
    byte[] data = null;
    String format = null;
    Map<String, String> metadata = new LinkedHashMap<>();
    while (pos < end) {
      long tag = varint();
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      switch (field) {
        case 1 -> {
          if (wire == 0) {
            shape.add((int) varint());
          } else { // packed
            SpecWireReader p = sub();
            while (p.pos < p.end) {
              shape.add((int) p.varint());
            }
          }
        }
        case 2 -> sr = (int) varint();
        case 3 -> data = sub().bytes();
        case 4 -> precision = (int) varint();
        case 5 -> sub().mapEntryInto(metadata);
        case 6 -> format = sub().string();
        default -> throw new IllegalStateException("unknown AudioBuffer field " + field);
      }
    }
    return new Buffer(shape, sr, data, precision, metadata, format);
  }

  private void mapEntryInto(Map<String, String> map) {
    String k = "";
    String v = "";
    while (pos < end) {
      long t = varint();
      String s = sub().string();
      if ((t >>> 3) == 1) {
        k = s;
      } else {
        v = s;
      }
    }
    map.put(k, v);
  }

  private long varint() {
    long v = 0;
    for (int shift = 0; ; shift += 7) {
      byte x = b[pos++];
      v |= (long) (x & 0x7f) << shift;
      if (x >= 0) {
        return v;
      }
    }
  }

  private SpecWireReader sub() {
    int len = (int) varint();
    SpecWireReader r = new SpecWireReader(b, pos, pos + len);
    pos += len;
    return r;
  }

  private byte[] bytes() {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(b, pos, end - pos);
    return o.toByteArray();
  }

  private String string() {
    return new String(b, pos, end - pos, StandardCharsets.UTF_8);
  }

  static byte[] hex(String s) {
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
