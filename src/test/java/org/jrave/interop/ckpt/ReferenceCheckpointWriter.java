package org.jrave.interop.ckpt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jrave.engine.Tensor;

/**
 * Writes checkpoints in the layout of a torch 1.13 / Lightning 1.9 {@code .ckpt} (spec 10.1) for
 * tests: a stored zip with {@code <name>/data.pkl} (pickle protocol 2, memoised strings and
 * containers, {@code OrderedDict} state dicts with a {@code _metadata} BUILD, tensors through
 * {@code _rebuild_tensor_v2} and {@code BINPERSID} storages, parameters through
 * {@code _rebuild_parameter}), {@code <name>/data/<key>}, {@code version} and {@code byteorder}.
 */
public final class ReferenceCheckpointWriter {

  /** A parameter (pickled through {@code torch._utils._rebuild_parameter}). */
  public record Param(Tensor tensor) {}

  /** An instance of an arbitrary Python class (pickled as GLOBAL + REDUCE). */
  public record PyObject(String module, String name, List<Object> args) {}

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final Map<String, Integer> memoStrings = new HashMap<>();
  private final Map<String, byte[]> storages = new LinkedHashMap<>();
  private int memo;

  private ReferenceCheckpointWriter() {}

  /** Writes {@code root} (maps, lists, strings, numbers, booleans, null, tensors) as {@code file}. */
  public static void write(Path file, String archiveName, Map<String, Object> root) throws IOException {
    ReferenceCheckpointWriter w = new ReferenceCheckpointWriter();
    w.op(0x80);
    w.op(2);
    w.value(root);
    w.op('.');
    try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
      stored(zip, archiveName + "/data.pkl", w.out.toByteArray());
      stored(zip, archiveName + "/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
      for (Map.Entry<String, byte[]> e : w.storages.entrySet()) {
        stored(zip, archiveName + "/data/" + e.getKey(), e.getValue());
      }
      stored(zip, archiveName + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
    }
  }

  private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    zip.putNextEntry(e);
    zip.write(data);
    zip.closeEntry();
  }

  private void op(int b) {
    out.write(b);
  }

  private void put() {
    if (memo < 256) {
      op('q');
      op(memo);
    } else {
      op('r');
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(memo).array());
    }
    memo++;
  }

  private void value(Object v) {
    switch (v) {
      case null -> op('N');
      case Boolean b -> op(b ? 0x88 : 0x89);
      case Integer i -> integer(i);
      case Long l -> integer(l);
      case Double d -> {
        op('G');
        out.writeBytes(ByteBuffer.allocate(8).putDouble(d).array());
      }
      case String s -> string(s);
      case Tensor t -> tensor(t);
      case Param p -> {
        global("torch._utils", "_rebuild_parameter");
        op('(');
        tensor(p.tensor());
        op(0x88);
        orderedDict(Map.of());
        op('t');
        op('R');
      }
      case PyObject o -> {
        global(o.module(), o.name());
        op('(');
        o.args().forEach(this::value);
        op('t');
        op('R');
      }
      case LinkedHashMap<?, ?> m -> orderedDict(m);
      case Map<?, ?> m -> {
        op('}');
        put();
        setItems(m);
      }
      case List<?> l -> {
        op(']');
        put();
        if (!l.isEmpty()) {
          op('(');
          l.forEach(this::value);
          op('e');
        }
      }
      default -> throw new IllegalArgumentException("cannot pickle " + v.getClass());
    }
  }

  /** MARK key value ... SETITEMS onto the dict on the stack; nothing for an empty map, as pickle writes it. */
  private void setItems(Map<?, ?> m) {
    if (!m.isEmpty()) {
      op('(');
      m.forEach((k, x) -> {
        value(k);
        value(x);
      });
      op('u');
    }
  }

  /** collections.OrderedDict() filled by SETITEMS, then BUILD with a _metadata attribute, as torch does. */
  private void orderedDict(Map<?, ?> m) {
    global("collections", "OrderedDict");
    op(')');
    op('R');
    put();
    setItems(m);
    op('}');
    op('(');
    string("_metadata");
    global("collections", "OrderedDict");
    op(')');
    op('R');
    op('u');
    op('b');
  }

  private void integer(long v) {
    if (v >= 0 && v < 256) {
      op('K');
      op((int) v);
    } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
      op('J');
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
    } else {
      op(0x8a);
      op(8);
      out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }
  }

  private void string(String s) {
    Integer at = memoStrings.get(s);
    if (at != null) {
      if (at < 256) {
        op('h');
        op(at);
      } else {
        op('j');
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(at).array());
      }
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    op('X');
    out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
    out.writeBytes(b);
    memoStrings.put(s, memo);
    put();
  }

  private void global(String module, String name) {
    op('c');
    out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    put();
  }

  private void tensor(Tensor t) {
    boolean floating = t.isFloat();
    String key = Integer.toString(storages.size());
    long[] shape = t.shape();
    ByteBuffer data;
    if (floating) {
      float[] f = t.toFloatArray();
      data = ByteBuffer.allocate(4 * f.length).order(ByteOrder.LITTLE_ENDIAN);
      data.asFloatBuffer().put(f);
    } else {
      long[] l = t.toLongArray();
      data = ByteBuffer.allocate(8 * l.length).order(ByteOrder.LITTLE_ENDIAN);
      data.asLongBuffer().put(l);
    }
    storages.put(key, data.array());
    global("torch._utils", "_rebuild_tensor_v2");
    op('(');
    op('(');
    string("storage");
    global("torch", floating ? "FloatStorage" : "LongStorage");
    string(key);
    string("cpu");
    integer(t.numel());
    op('t');
    op('Q');
    integer(0);
    tuple(shape);
    long[] stride = new long[shape.length];
    long s = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      stride[d] = s;
      s *= shape[d];
    }
    tuple(stride);
    op(0x89);
    global("collections", "OrderedDict");
    op(')');
    op('R');
    op('t');
    op('R');
    put();
  }

  private void tuple(long[] values) {
    switch (values.length) {
      case 0 -> op(')');
      case 1 -> {
        integer(values[0]);
        op(0x85);
      }
      case 2 -> {
        integer(values[0]);
        integer(values[1]);
        op(0x86);
      }
      case 3 -> {
        integer(values[0]);
        integer(values[1]);
        integer(values[2]);
        op(0x87);
      }
      default -> {
        op('(');
        for (long v : values) {
          integer(v);
        }
        op('t');
      }
    }
  }
}
