package org.jrave.interop.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An ONNX graph being built: nodes in order, initializers (weights and constants; only those some
 * node reads are written), typed inputs and outputs with static shapes; written as an ONNX model
 * (IR 8, default opset 17).
 */
final class OnnxGraph {

  static final int FLOAT = 1;
  static final int INT64 = 7;

  /** A node attribute: int, float, ints or floats. */
  record Attr(String name, Object value) {
    static Attr of(String name, long value) {
      return new Attr(name, value);
    }

    static Attr of(String name, double value) {
      return new Attr(name, (float) value);
    }

    static Attr ints(String name, long... values) {
      return new Attr(name, values);
    }
  }

  private final List<Proto> nodes = new ArrayList<>();
  private final java.util.Map<String, Proto> initializers = new java.util.LinkedHashMap<>();
  private final java.util.Set<String> used = new java.util.HashSet<>();
  private final List<Proto> inputs = new ArrayList<>();
  private final List<Proto> outputs = new ArrayList<>();
  private int counter;

  /** Adds a node; returns the name of its (first) output. */
  String node(String op, List<String> in, Attr... attrs) {
    String output = op.toLowerCase(java.util.Locale.ROOT) + "_" + (counter++);
    Proto n = new Proto();
    for (String i : in) {
      n.string(1, i);
      used.add(i);
    }
    n.string(2, output).string(3, output).string(4, op);
    for (Attr a : attrs) {
      Proto p = new Proto().string(1, a.name());
      switch (a.value()) {
        case Float f -> p.float32(2, f).varint(20, 1);
        case Long l -> p.varint(3, l).varint(20, 2);
        case long[] ls -> {
          for (long l : ls) {
            p.varint(8, l);
          }
          p.varint(20, 7);
        }
        default -> throw new IllegalArgumentException("attribute " + a);
      }
      n.message(5, p);
    }
    nodes.add(n);
    return output;
  }

  String node(String op, String... in) {
    return node(op, List.of(in));
  }

  /** A float initializer (weights, constants). */
  String floats(String name, float[] data, long... dims) {
    ByteBuffer b = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(data);
    initializers.put(name, new Proto().packedLongs(1, dims).varint(2, FLOAT).string(8, name).bytes(9, b.array()));
    return name;
  }

  String longs(long[] data, long... dims) {
    String name = "const_" + (counter++);
    ByteBuffer b = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(data);
    initializers.put(name, new Proto().packedLongs(1, dims).varint(2, INT64).string(8, name).bytes(9, b.array()));
    return name;
  }

  /** A float constant under a fresh name. */
  String constant(float[] data, long... dims) {
    return floats("const_" + (counter++), data, dims);
  }

  String scalar(float value) {
    return floats("const_" + (counter++), new float[] {value});
  }

  void input(String name, int type, long... dims) {
    inputs.add(valueInfo(name, type, dims));
  }

  /** Declares {@code value} as a graph output called {@code name}. */
  void output(String value, String name, int type, long... dims) {
    used.add(value);
    if (!value.equals(name)) {
      Proto n = new Proto().string(1, value).string(2, name).string(3, name).string(4, "Identity");
      nodes.add(n);
    }
    outputs.add(valueInfo(name, type, dims));
  }

  private static Proto valueInfo(String name, int type, long... dims) {
    Proto shape = new Proto();
    for (long d : dims) {
      shape.message(1, new Proto().varint(1, d));
    }
    Proto tensor = new Proto().varint(1, type).message(2, shape);
    return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
  }

  void write(Path file, String graphName, String doc) throws IOException {
    Proto graph = new Proto();
    nodes.forEach(n -> graph.message(1, n));
    graph.string(2, graphName);
    // Only what the nodes read: a method uses part of the model's weights.
    initializers.forEach((name, i) -> {
      if (used.contains(name)) {
        graph.message(5, i);
      }
    });
    graph.string(10, doc);
    inputs.forEach(i -> graph.message(11, i));
    outputs.forEach(o -> graph.message(12, o));
    Proto model = new Proto().varint(1, 8).string(2, "jrave").string(3, "0.1")
        .message(7, graph).message(8, new Proto().string(1, "").varint(2, 17));
    byte[] bytes = model.toByteArray();
    org.jrave.io.AtomicFiles.write(file, out -> out.write(bytes));
  }
}
