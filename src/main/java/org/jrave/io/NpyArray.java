package org.jrave.io;

import java.util.Arrays;

/**
 * An n-dimensional float array in C (row-major) order, as read from or written to a {@code .npy}
 * file. The array takes ownership of {@code data} (no copy); {@code shape} is copied.
 *
 * @param shape dimensions, possibly empty for a scalar
 * @param data the elements, {@code product(shape)} of them
 */
public record NpyArray(long[] shape, float[] data) {

  public NpyArray {
    shape = shape.clone();
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    if (n != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " elements, got " + data.length);
    }
  }

  /** The shape (a copy). */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public long dim(int axis) {
    return shape[axis];
  }

  public int size() {
    return data.length;
  }

  /** Content equality: same shape and bit-identical elements. */
  @Override
  public boolean equals(Object o) {
    return o instanceof NpyArray other && Arrays.equals(shape, other.shape) && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "NpyArray" + Arrays.toString(shape);
  }
}
