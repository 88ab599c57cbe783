package org.jrave.interop.ckpt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.jrave.engine.Tensor;
import org.jrave.interop.ckpt.PickleReader.StorageRef;
import org.jrave.interop.ckpt.PickleReader.TensorRef;

/**
 * A PyTorch Lightning checkpoint ({@code .ckpt}, a {@code torch.save} zip archive: {@code
 * <name>/data.pkl} plus one raw little-endian storage per tensor under {@code <name>/data/<key>},
 * spec 10.1). Reads the pickle with {@link PickleReader} and turns the tensors of one state dict
 * into engine tensors (floating point as float32, integers and booleans as int64).
 */
public final class LightningCheckpoint {

  private final Path file;
  private final Map<?, ?> root;

  private LightningCheckpoint(Path file, Map<?, ?> root) {
    this.file = file;
    this.root = root;
  }

  /** Reads the archive; anything that is not a torch.save checkpoint is an {@link IOException}. */
  public static LightningCheckpoint read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + " is not a file");
    }
    try (ZipFile zip = new ZipFile(file.toFile())) {
      String prefix = null;
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        if (name.endsWith("data.pkl") && name.indexOf('/') == name.length() - "data.pkl".length() - 1) {
          prefix = name.substring(0, name.length() - "data.pkl".length());
          break;
        }
      }
      if (prefix == null) {
        throw new IOException(file + " is a zip archive but not a torch.save checkpoint (no <name>/data.pkl)");
      }
      Object root;
      try {
        root = PickleReader.read(readEntry(zip, prefix + "data.pkl"));
      } catch (IOException e) {
        throw new IOException(file + " has a corrupt checkpoint pickle: " + e.getMessage(), e);
      }
      if (!(root instanceof Map<?, ?> map)) {
        throw new IOException(file + " does not hold a checkpoint dictionary");
      }
      // Storages are read on demand: optimizer states are large and not needed.
      return new LightningCheckpoint(file, map);
    } catch (ZipException e) {
      throw new IOException(file + " is not a checkpoint (not a zip archive: " + e.getMessage() + ")", e);
    }
  }

  private static byte[] readEntry(ZipFile zip, String name) throws IOException {
    ZipEntry entry = zip.getEntry(name);
    if (entry == null) {
      throw new IOException("missing archive entry " + name);
    }
    try (InputStream in = zip.getInputStream(entry)) {
      return in.readAllBytes();
    }
  }

  /** The checkpoint's top-level dictionary (keys such as {@code epoch}, {@code state_dict}). */
  public Map<?, ?> root() {
    return root;
  }

  /** {@code global_step}, or -1 when absent. */
  public long globalStep() {
    return root.get("global_step") instanceof Long l ? l : -1;
  }

  /** The model's {@code state_dict} as tensors, in file order. */
  public Map<String, Tensor> stateDict() throws IOException {
    if (!(root.get("state_dict") instanceof Map<?, ?> sd)) {
      throw new IOException(file + " has no state_dict (is it a Lightning checkpoint?)");
    }
    return tensors(sd);
  }

  /** Every tensor of a dictionary read from this checkpoint (entries that are not tensors are skipped). */
  public Map<String, Tensor> tensors(Map<?, ?> dict) throws IOException {
    Map<String, Tensor> out = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      String prefix = dataPrefix(zip);
      for (Map.Entry<?, ?> e : dict.entrySet()) {
        if (e.getValue() instanceof TensorRef ref) {
          out.put(String.valueOf(e.getKey()), materialize(zip, prefix, String.valueOf(e.getKey()), ref));
        }
      }
    }
    return out;
  }

  private String dataPrefix(ZipFile zip) throws IOException {
    for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
      String name = e.nextElement().getName();
      if (name.endsWith("/data.pkl")) {
        return name.substring(0, name.length() - "data.pkl".length()) + "data/";
      }
    }
    throw new IOException(file + " changed while it was read");
  }

  private Tensor materialize(ZipFile zip, String prefix, String name, TensorRef ref) throws IOException {
    StorageRef s = ref.storage();
    int width = elementSize(s.type());
    byte[] raw = readEntry(zip, prefix + s.key());
    if (raw.length < s.numel() * width) {
      throw new IOException(file + ": storage " + s.key() + " of " + name + " is truncated (" + raw.length
          + " bytes for " + s.numel() + " " + s.type() + " elements)");
    }
    ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    long count = 1;
    for (long d : ref.size()) {
      count *= d;
    }
    int n = Math.toIntExact(count);
    long[] index = new long[ref.size().length];
    boolean floating = isFloating(s.type());
    float[] floats = floating ? new float[n] : null;
    long[] longs = floating ? null : new long[n];
    for (int i = 0; i < n; i++) {
      long at = ref.offset();
      for (int d = 0; d < index.length; d++) {
        at += index[d] * ref.stride()[d];
      }
      if (at < 0 || at >= s.numel()) {
        throw new IOException(file + ": tensor " + name + " reaches outside its storage");
      }
      int pos = Math.toIntExact(at * width);
      if (floating) {
        floats[i] = switch (s.type()) {
          case "DoubleStorage" -> (float) buf.getDouble(pos);
          case "HalfStorage" -> Float.float16ToFloat(buf.getShort(pos));
          case "BFloat16Storage" -> Float.intBitsToFloat((buf.getShort(pos) & 0xffff) << 16);
          default -> buf.getFloat(pos);
        };
      } else {
        longs[i] = switch (width) {
          case 8 -> buf.getLong(pos);
          case 4 -> buf.getInt(pos);
          case 2 -> buf.getShort(pos);
          default -> s.type().equals("ByteStorage") || s.type().equals("BoolStorage") ? buf.get(pos) & 0xff : buf.get(pos);
        };
      }
      for (int d = index.length - 1; d >= 0; d--) {
        if (++index[d] < ref.size()[d]) {
          break;
        }
        index[d] = 0;
      }
    }
    return floating ? Tensor.fromFloats(floats, ref.size()) : Tensor.fromLongs(longs, ref.size());
  }

  private static boolean isFloating(String type) {
    return switch (type) {
      case "FloatStorage", "DoubleStorage", "HalfStorage", "BFloat16Storage" -> true;
      default -> false;
    };
  }

  private int elementSize(String type) throws IOException {
    return switch (type) {
      case "DoubleStorage", "LongStorage" -> 8;
      case "FloatStorage", "IntStorage" -> 4;
      case "HalfStorage", "BFloat16Storage", "ShortStorage" -> 2;
      case "ByteStorage", "CharStorage", "BoolStorage" -> 1;
      default -> throw new IOException(file + " holds tensors of unsupported type " + type);
    };
  }
}
