package org.jrave.streaming;

import java.util.Arrays;
import org.jrave.engine.Tensor;

/**
 * Live latent manipulation, applied to every latent frame between encoder and decoder:
 * {@code z'[d] = z[d] * scale[d] + bias[d]}, or a fixed value where a dimension is replaced.
 * Safe to change from another thread (a control surface, OSC) while audio runs: each block reads
 * one consistent copy.
 */
public final class LatentControl {

  private final int dimensions;
  private volatile Settings settings;

  private record Settings(float[] scale, float[] bias, float[] replacement, boolean[] replaced, boolean identity) {}

  public LatentControl(int dimensions) {
    this.dimensions = dimensions;
    float[] ones = new float[dimensions];
    Arrays.fill(ones, 1f);
    this.settings = new Settings(ones, new float[dimensions], new float[dimensions], new boolean[dimensions], true);
  }

  public int dimensions() {
    return dimensions;
  }

  public synchronized void setBias(int dim, float value) {
    check(dim);
    Settings s = settings;
    float[] bias = s.bias().clone();
    bias[dim] = value;
    settings = withIdentityFlag(new Settings(s.scale(), bias, s.replacement(), s.replaced(), false));
  }

  public synchronized void setScale(int dim, float value) {
    check(dim);
    Settings s = settings;
    float[] scale = s.scale().clone();
    scale[dim] = value;
    settings = withIdentityFlag(new Settings(scale, s.bias(), s.replacement(), s.replaced(), false));
  }

  /** Holds dimension {@code dim} at {@code value}, whatever the encoder says. */
  public synchronized void replace(int dim, float value) {
    check(dim);
    Settings s = settings;
    float[] values = s.replacement().clone();
    boolean[] replaced = s.replaced().clone();
    values[dim] = value;
    replaced[dim] = true;
    settings = withIdentityFlag(new Settings(s.scale(), s.bias(), values, replaced, false));
  }

  /** Gives dimension {@code dim} back to the encoder. */
  public synchronized void release(int dim) {
    check(dim);
    Settings s = settings;
    boolean[] replaced = s.replaced().clone();
    replaced[dim] = false;
    settings = withIdentityFlag(new Settings(s.scale(), s.bias(), s.replacement(), replaced, false));
  }

  /** Back to the identity. */
  public synchronized void clear() {
    settings = new LatentControl(dimensions).settings;
  }

  public float bias(int dim) {
    return settings.bias()[dim];
  }

  public float scale(int dim) {
    return settings.scale()[dim];
  }

  /** Whether the current settings leave every latent unchanged. */
  public boolean isIdentity() {
    return settings.identity();
  }

  /** Applies the current settings in place to latent rows {@code z[dimension][frame]}, allocating nothing. */
  public void applyInPlace(float[][] z) {
    Settings s = settings;
    if (s.identity()) {
      return;
    }
    for (int d = 0; d < Math.min(dimensions, z.length); d++) {
      float[] row = z[d];
      boolean replaced = s.replaced()[d];
      float scale = s.scale()[d];
      float bias = s.bias()[d];
      float value = s.replacement()[d];
      for (int f = 0; f < row.length; f++) {
        row[f] = replaced ? value : row[f] * scale + bias;
      }
    }
  }

  /** Applies the current settings to {@code z} {@code [B, D, F]} (D may exceed the controlled dims). */
  public Tensor apply(Tensor z) {
    Settings s = settings;
    if (s.identity()) {
      return z;
    }
    long d = z.size(1);
    float[] keep = new float[(int) d];
    float[] add = new float[(int) d];
    for (int i = 0; i < d; i++) {
      boolean controlled = i < dimensions;
      boolean replaced = controlled && s.replaced()[i];
      keep[i] = replaced ? 0f : controlled ? s.scale()[i] : 1f;
      add[i] = replaced ? s.replacement()[i] : controlled ? s.bias()[i] : 0f;
    }
    Tensor k = Tensor.fromFloats(keep, 1, d, 1).to(z.device());
    Tensor a = Tensor.fromFloats(add, 1, d, 1).to(z.device());
    return z.mul(k).add(a);
  }

  private Settings withIdentityFlag(Settings s) {
    boolean identity = true;
    for (int i = 0; i < dimensions && identity; i++) {
      identity = s.scale()[i] == 1f && s.bias()[i] == 0f && !s.replaced()[i];
    }
    return new Settings(s.scale(), s.bias(), s.replacement(), s.replaced(), identity);
  }

  private void check(int dim) {
    if (dim < 0 || dim >= dimensions) {
      throw new IllegalArgumentException("latent dimension " + dim + " is out of range: this model has "
          + dimensions + " (0 to " + (dimensions - 1) + ")");
    }
  }
}
