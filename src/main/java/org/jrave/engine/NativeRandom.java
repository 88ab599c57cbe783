package org.jrave.engine;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.global.torch;

/**
 * Random draws from torch's global generator into Java arrays, through one preallocated native
 * buffer: the same numbers, in the same order, as {@code torch.randn}/{@code torch.rand} of that
 * shape would give (so {@link Engine#manualSeed} makes a stream reproducible and equal to an
 * exported model's), without allocating a tensor per call. Not thread-safe; close it to free the
 * buffer.
 */
public final class NativeRandom implements AutoCloseable {
  private final Tensor buffer;
  private final int size;

  public NativeRandom(int size) {
    Engine.ensureInitialized();
    this.size = size;
    this.buffer = Tensor.zeros(Math.max(1, size)).retain();
  }

  /** Fills {@code dst} with standard normal draws. */
  public void gaussian(float[] dst) {
    fill(dst, true);
  }

  /** Fills {@code dst} with uniform draws in [0, 1). */
  public void uniform(float[] dst) {
    fill(dst, false);
  }

  private void fill(float[] dst, boolean normal) {
    if (dst.length != size) {
      throw new IllegalArgumentException("this generator draws " + size + " values, not " + dst.length);
    }
    try (PointerScope scope = new PointerScope()) {
      if (normal) {
        buffer.handle().normal_();
      } else {
        buffer.handle().uniform_();
      }
      buffer.handle().data_ptr_float().get(dst, 0, size);
    }
  }

  @Override
  public void close() {
    buffer.close();
  }
}
