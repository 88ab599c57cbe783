package org.jrave.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jrave.io.AtomicFiles;
import org.jrave.io.WriteFailure;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes the safetensors format: a little-endian u64 header length, a JSON header
 * mapping names to dtype, shape and byte offsets (plus an optional {@code __metadata__} map of
 * strings), then the raw little-endian C-order tensor bytes.
 */
public final class Safetensors {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_HEADER = 100L << 20;

  /** The tensors of a file, in header order, with its string metadata. */
  public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    /** The tensors whose names start with {@code prefix}, named without it (one part of a checkpoint). */
    public Map<String, Tensor> section(String prefix) {
      Map<String, Tensor> out = new LinkedHashMap<>();
      tensors.forEach((k, v) -> {
        if (k.startsWith(prefix)) {
          out.put(k.substring(prefix.length()), v);
        }
      });
      return out;
    }
  }

  private Safetensors() {}

  public static Contents read(Path file) throws IOException {
    Engine.ensureInitialized();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) {
        throw new IOException(file + " is not a safetensors file (too short)");
      }
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lenBuf, 0);
      long headerLen = lenBuf.flip().getLong();
      if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
        throw new IOException(file + " is not a safetensors file (bad header length " + headerLen + ")");
      }
      ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
      readFully(ch, headerBuf, 8);
      JsonNode header;
      try {
        header = JSON.readTree(new String(headerBuf.array(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new IOException(file + " is not a safetensors file (header is not JSON)", e);
      }
      long dataStart = 8 + headerLen;
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      Map<String, String> metadata = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
        var e = it.next();
        if (e.getKey().equals("__metadata__")) {
          e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
          continue;
        }
        tensors.put(e.getKey(), readTensor(ch, file, e.getKey(), e.getValue(), dataStart, size));
      }
      return new Contents(tensors, metadata);
    }
  }

  private static Tensor readTensor(FileChannel ch, Path file, String name, JsonNode info, long dataStart, long size)
      throws IOException {
    String dtype = info.path("dtype").asText();
    JsonNode shapeNode = info.path("shape");
    long[] shape = new long[shapeNode.size()];
    long count = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeNode.get(i).asLong();
      count *= shape[i];
    }
    long begin = info.path("data_offsets").path(0).asLong();
    long end = info.path("data_offsets").path(1).asLong();
    int width = switch (dtype) {
      case "F32", "I32" -> 4;
      case "F64", "I64" -> 8;
      case "F16", "BF16", "I16" -> 2;
      case "U8", "I8", "BOOL" -> 1;
      default -> throw new IOException(file + ": tensor " + name + " has unsupported dtype " + dtype);
    };
    if (end - begin != count * width || dataStart + end > size) {
      throw new IOException(file + ": tensor " + name + " has inconsistent offsets");
    }
    ByteBuffer buf = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, buf, dataStart + begin);
    buf.flip();
    switch (dtype) {
      case "F32" -> {
        float[] data = new float[(int) count];
        buf.asFloatBuffer().get(data);
        return Tensor.fromFloats(data, shape);
      }
      case "F64" -> {
        float[] data = new float[(int) count];
        for (int i = 0; i < count; i++) {
          data[i] = (float) buf.getDouble();
        }
        return Tensor.fromFloats(data, shape);
      }
      case "I64" -> {
        long[] data = new long[(int) count];
        buf.asLongBuffer().get(data);
        return Tensor.fromLongs(data, shape);
      }
      case "I32" -> {
        long[] data = new long[(int) count];
        for (int i = 0; i < count; i++) {
          data[i] = buf.getInt();
        }
        return Tensor.fromLongs(data, shape);
      }
      default -> throw new IOException(file + ": tensor " + name + " has unsupported dtype " + dtype);
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
      pos += n;
    }
  }

  /**
   * Writes tensors (float32 as F32, integer buffers as I64) and metadata. The file is written to a
   * temporary sibling and moved into place, so an existing file is never left half-written.
   */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
    ObjectNode header = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    Map<String, byte[]> payloads = new LinkedHashMap<>();
    long offset = 0;
    for (var e : tensors.entrySet()) {
      Tensor t = e.getValue();
      byte[] bytes;
      String dtype;
      if (t.isFloat()) {
        float[] data = t.toFloatArray();
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        bytes = b.array();
        dtype = "F32";
      } else {
        long[] data = t.toLongArray();
        ByteBuffer b = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(data);
        bytes = b.array();
        dtype = "I64";
      }
      ObjectNode info = header.putObject(e.getKey());
      info.put("dtype", dtype);
      var shape = info.putArray("shape");
      for (long d : t.shape()) {
        shape.add(d);
      }
      var offsets = info.putArray("data_offsets");
      offsets.add(offset);
      offsets.add(offset + bytes.length);
      offset += bytes.length;
      payloads.put(e.getKey(), bytes);
    }
    byte[] headerBytes = JSON.writeValueAsBytes(header);
    int padded = (headerBytes.length + 7) / 8 * 8;
    byte[] headerPadded = new byte[padded];
    java.util.Arrays.fill(headerPadded, (byte) ' ');
    System.arraycopy(headerBytes, 0, headerPadded, 0, headerBytes.length);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw WriteFailure.of(file, e);
    }
    AtomicFiles.write(file, out -> {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
      out.write(len.array());
      out.write(headerPadded);
      for (byte[] p : payloads.values()) {
        out.write(p);
      }
    });
  }
}
