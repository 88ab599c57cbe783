package org.jrave.interop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jrave.engine.Tensor;

/**
 * The module buffers a generated streaming program reads: zero caches, int64 counters and float
 * constants (weights). A constant is registered once however many graphs use it: the three
 * streams of an export share their encoder and decoder weights.
 */
final class ScriptBuffers {

  /** A buffer to register: {@code values} of {@code shape}, zeros when null; int64 when a counter. */
  record Buffer(String name, long[] shape, float[] values, boolean counter) {
    Tensor tensor() {
      if (counter) {
        return Tensor.fromLongs(new long[] {0}, 1);
      }
      return values == null ? Tensor.zeros(shape) : Tensor.fromFloats(values, shape);
    }
  }

  /** A constant's content, compared by value. */
  private record Content(float[] values, long[] shape) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Content c && Arrays.equals(values, c.values) && Arrays.equals(shape, c.shape);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(values) + Arrays.hashCode(shape);
    }
  }

  private static final String CONSTANTS = "graph";

  private final List<Buffer> buffers = new ArrayList<>();
  private final Map<Content, String> constants = new HashMap<>();

  /** A zero cache {@code name} of {@code shape}; returns the expression that reads it. */
  String cache(String name, long... shape) {
    return add(new Buffer(name, shape, null, false));
  }

  /** An int64 counter {@code [1]} starting at 0. */
  String counter(String name) {
    return add(new Buffer(name, new long[] {1}, null, true));
  }

  /** A float constant of {@code shape}, shared with any earlier constant of the same content. */
  String constant(float[] values, long... shape) {
    return constants.computeIfAbsent(new Content(values, shape),
        c -> add(new Buffer(CONSTANTS + ".c" + constants.size(), shape, values, false)));
  }

  private String add(Buffer b) {
    buffers.add(b);
    return LayerScriptWriter.ref(b.name());
  }

  List<Buffer> all() {
    return List.copyOf(buffers);
  }
}
