package org.jrave.interop.ckpt;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, safe Python unpickler for {@code torch.save} files (protocols 2 to 5): it builds plain
 * Java values and never runs code. Dicts become {@link LinkedHashMap}s (also for
 * {@code collections.OrderedDict}), lists {@link ArrayList}s, tuples {@link Tuple}s, ints
 * {@link Long} (or {@link BigInteger}), floats {@link Double}. Tensors become {@link TensorRef}s
 * pointing at their storage ({@link StorageRef}, from the persistent id). Any other class
 * instance becomes an {@link Opaque} holding its constructor arguments, so unknown objects (of
 * Lightning callbacks, say) cannot stop the reading of the state dict.
 */
public final class PickleReader {

  /** A Python tuple. */
  public record Tuple(List<Object> items) {}

  /** A reference to a module-level Python name ({@code GLOBAL module name}). */
  public record Global(String module, String name) {
    String qualified() {
      return module + "." + name;
    }
  }

  /** An object of a class this reader does not model. */
  public record Opaque(Global type, Object arguments) {}

  /** A tensor storage kept in the archive under {@code data/<key>}. */
  public record StorageRef(String type, String key, long numel) {}

  /** A strided view of a storage: {@code torch._utils._rebuild_tensor_v2}. */
  public record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}

  private static final Object MARK = new Object();

  private final ByteBuffer in;
  private final List<Object> stack = new ArrayList<>();
  private final List<Integer> marks = new ArrayList<>();
  private final Map<Long, Object> memo = new HashMap<>();

  private PickleReader(byte[] data) {
    this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Unpickles one object; malformed or truncated data is an {@link IOException}. */
  public static Object read(byte[] data) throws IOException {
    try {
      return new PickleReader(data).run();
    } catch (java.nio.BufferUnderflowException e) {
      throw new IOException("truncated pickle", e);
    } catch (ClassCastException | IndexOutOfBoundsException | IllegalStateException e) {
      throw new IOException("malformed pickle: " + e.getMessage(), e);
    }
  }

  private Object run() throws IOException {
    while (true) {
      int op = in.get() & 0xff;
      switch (op) {
        case 0x80 -> in.get(); // PROTO
        case 0x95 -> in.getLong(); // FRAME
        case '}' -> stack.add(new LinkedHashMap<>());
        case ']' -> stack.add(new ArrayList<>());
        case ')' -> stack.add(new Tuple(List.of()));
        case 0x8f -> stack.add(new ArrayList<>()); // EMPTY_SET (as a list)
        case '(' -> {
          marks.add(stack.size());
          stack.add(MARK);
        }
        case 't' -> stack.add(new Tuple(popMark()));
        case 0x85 -> stack.add(new Tuple(List.of(pop())));
        case 0x86 -> {
          Object b = pop();
          stack.add(new Tuple(List.of(pop(), b)));
        }
        case 0x87 -> {
          Object c = pop();
          Object b = pop();
          stack.add(new Tuple(List.of(pop(), b, c)));
        }
        case 0x91 -> stack.add(popMark()); // FROZENSET
        case 'X' -> stack.add(string(in.getInt()));
        case 0x8c -> stack.add(string(in.get() & 0xff));
        case 0x8d -> stack.add(string(Math.toIntExact(in.getLong())));
        case 'U', 'C' -> stack.add(bytes(in.get() & 0xff));
        case 'T', 'B' -> stack.add(bytes(in.getInt()));
        case 0x8e -> stack.add(bytes(Math.toIntExact(in.getLong())));
        case 'J' -> stack.add((long) in.getInt());
        case 'K' -> stack.add((long) (in.get() & 0xff));
        case 'M' -> stack.add((long) (in.getShort() & 0xffff));
        case 0x8a -> stack.add(longFrom(in.get() & 0xff));
        case 0x8b -> stack.add(longFrom(in.getInt()));
        case 'G' -> stack.add(ByteBuffer.wrap(bytes(8)).getDouble()); // big-endian
        case 0x88 -> stack.add(Boolean.TRUE);
        case 0x89 -> stack.add(Boolean.FALSE);
        case 'N' -> stack.add(null);
        case 'q' -> memo.put((long) (in.get() & 0xff), top());
        case 'r' -> memo.put(in.getInt() & 0xffffffffL, top());
        case 0x94 -> memo.put((long) memo.size(), top());
        case 'h' -> stack.add(memoGet(in.get() & 0xff));
        case 'j' -> stack.add(memoGet(in.getInt() & 0xffffffffL));
        case 's' -> {
          Object value = pop();
          Object key = pop();
          asMap(top()).put(key, value);
        }
        case 'u' -> {
          List<Object> items = popMark();
          Map<Object, Object> map = asMap(top());
          for (int i = 0; i + 1 < items.size(); i += 2) {
            map.put(items.get(i), items.get(i + 1));
          }
        }
        case 'a' -> {
          Object value = pop();
          asList(top()).add(value);
        }
        case 'e', 0x90 -> {
          List<Object> items = popMark();
          asList(top()).addAll(items);
        }
        case 'c' -> stack.add(new Global(line(), line()));
        case 0x93 -> {
          String name = (String) pop();
          stack.add(new Global((String) pop(), name));
        }
        case 'R' -> {
          Object args = pop();
          stack.add(reduce(pop(), args));
        }
        case 0x81 -> { // NEWOBJ
          Object args = pop();
          Object cls = pop();
          stack.add(new Opaque(cls instanceof Global g ? g : new Global("?", "?"), args));
        }
        case 'b' -> {
          pop(); // BUILD state: OrderedDict _metadata, object __dict__s; not needed
        }
        case 'Q' -> stack.add(persistent(pop()));
        case '0' -> pop();
        case '1' -> popMark();
        case '2' -> stack.add(top());
        case '.' -> {
          return pop();
        }
        default -> throw new IOException(String.format("unsupported pickle opcode 0x%02x at byte %d", op, in.position() - 1));
      }
    }
  }

  private static Object reduce(Object callable, Object args) throws IOException {
    List<Object> a = args instanceof Tuple t ? t.items() : List.of();
    if (!(callable instanceof Global g)) {
      return new Opaque(new Global("?", "?"), args);
    }
    switch (g.qualified()) {
      case "collections.OrderedDict" -> {
        return new LinkedHashMap<>();
      }
      case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" -> {
        if (!(a.get(0) instanceof StorageRef storage)) {
          throw new IOException("tensor without a storage in the pickle");
        }
        return new TensorRef(storage, ((Number) a.get(1)).longValue(), longs(a.get(2)), longs(a.get(3)));
      }
      case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
        return a.get(0);
      }
      default -> {
        return new Opaque(g, args);
      }
    }
  }

  private static Object persistent(Object pid) throws IOException {
    if (pid instanceof Tuple t && t.items().size() >= 5 && "storage".equals(t.items().get(0))) {
      List<Object> p = t.items();
      String type = p.get(1) instanceof Global g ? g.name() : String.valueOf(p.get(1));
      return new StorageRef(type, String.valueOf(p.get(2)), ((Number) p.get(4)).longValue());
    }
    throw new IOException("unsupported persistent id " + pid);
  }

  private static long[] longs(Object tuple) {
    List<Object> items = ((Tuple) tuple).items();
    long[] out = new long[items.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) items.get(i)).longValue();
    }
    return out;
  }

  // ---------------------------------------------------------------- stack and input helpers

  private Object pop() {
    Object o = stack.remove(stack.size() - 1);
    if (o == MARK) {
      throw new IllegalStateException("unexpected mark");
    }
    return o;
  }

  private Object top() {
    return stack.get(stack.size() - 1);
  }

  private List<Object> popMark() {
    int m = marks.remove(marks.size() - 1);
    List<Object> items = new ArrayList<>(stack.subList(m + 1, stack.size()));
    stack.subList(m, stack.size()).clear();
    return items;
  }

  private Object memoGet(long key) {
    if (!memo.containsKey(key)) {
      throw new IllegalStateException("memo key " + key + " was never stored");
    }
    return memo.get(key);
  }

  @SuppressWarnings("unchecked")
  private static Map<Object, Object> asMap(Object o) {
    if (o instanceof Map<?, ?> m) {
      return (Map<Object, Object>) m;
    }
    throw new IllegalStateException("SETITEM on " + (o == null ? "None" : o.getClass().getSimpleName()));
  }

  @SuppressWarnings("unchecked")
  private static List<Object> asList(Object o) {
    if (o instanceof List<?> l) {
      return (List<Object>) l;
    }
    throw new IllegalStateException("APPEND on " + (o == null ? "None" : o.getClass().getSimpleName()));
  }

  private String string(int length) {
    return new String(bytes(length), StandardCharsets.UTF_8);
  }

  private byte[] bytes(int length) {
    if (length < 0 || length > in.remaining()) {
      throw new java.nio.BufferUnderflowException();
    }
    byte[] b = new byte[length];
    in.get(b);
    return b;
  }

  private String line() {
    StringBuilder sb = new StringBuilder();
    for (byte b = in.get(); b != '\n'; b = in.get()) {
      sb.append((char) b);
    }
    return sb.toString();
  }

  private Object longFrom(int length) {
    byte[] le = bytes(length);
    if (length == 0) {
      return 0L;
    }
    byte[] be = new byte[length];
    for (int i = 0; i < length; i++) {
      be[i] = le[length - 1 - i];
    }
    BigInteger v = new BigInteger(be);
    return v.bitLength() < 64 ? (Object) v.longValue() : v;
  }
}
