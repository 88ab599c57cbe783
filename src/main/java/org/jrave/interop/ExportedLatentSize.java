package org.jrave.interop;

/**
 * The latent size an nn~ export exposes for a VAE, from the PCA's cumulative explained variance
 * ({@code fidelity}): the 0-based index of the first component above the requested fidelity (at
 * least 1), rounded up to a power of two, as the reference's exporter computes it (spec 8.2, 12.21).
 */
public final class ExportedLatentSize {
  private ExportedLatentSize() {}

  public static int of(float[] fidelity, double requested) {
    if (requested < 0.1 || requested > 0.999) {
      throw new IllegalArgumentException("fidelity must be between 0.1 and 0.999, got " + requested);
    }
    int index = 0; // argmax of an all-false mask is 0
    for (int i = 0; i < fidelity.length; i++) {
      if (fidelity[i] > requested) {
        index = i;
        break;
      }
    }
    int size = Math.max(index, 1);
    int power = Integer.highestOneBit(size);
    int rounded = power == size ? size : power << 1;
    return Math.min(rounded, fidelity.length);
  }
}
