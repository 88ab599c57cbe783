package org.jrave.prior;

/**
 * Shape of the prior (spec 9.2; {@code prior_v1.gin}: resolution 32, residual width 512, skip
 * width 256, kernel 3, dilation cycle 4, 10 layers) over {@code latentSize} PCA dimensions.
 */
public record PriorConfig(int latentSize, int resolution, int resSize, int skipSize, int kernelSize, int cycleSize,
    int layers) {

  public PriorConfig {
    if (latentSize < 1 || resolution < 2 || resSize < 1 || skipSize < 1 || kernelSize < 1 || cycleSize < 1 || layers < 1) {
      throw new IllegalArgumentException("invalid prior configuration: " + latentSize + ", " + resolution + ", "
          + resSize + ", " + skipSize + ", " + kernelSize + ", " + cycleSize + ", " + layers);
    }
    if (resSize % latentSize != 0) {
      throw new IllegalArgumentException("the residual width (" + resSize + ") must be a multiple of the latent size ("
          + latentSize + ") for the grouped input convolution");
    }
  }

  /** The reference configuration for a latent of {@code latentSize} dimensions. */
  public static PriorConfig v1(int latentSize) {
    return new PriorConfig(latentSize, 32, 512, 256, 3, 4, 10);
  }

  /** Channels of the one-hot input and of the logits: {@code latentSize * resolution}. */
  public int channels() {
    return latentSize * resolution;
  }

  public int dilation(int layer) {
    return 1 << (layer % cycleSize);
  }

  /** Latent frames one prediction sees: {@code (k - 1) * sum(dilations) + 1} (67 for v1). */
  public int receptiveField() {
    int sum = 0;
    for (int i = 0; i < layers; i++) {
      sum += dilation(i);
    }
    return (kernelSize - 1) * sum + 1;
  }

  /** Frames a prediction really depends on, the input convolution's two included. */
  public int context() {
    return receptiveField() + kernelSize - 1;
  }

  /** The minimum training crop in audio samples: {@code 2^ceil(log2(rf * ratio))}. */
  public int minimumSignal(int ratio) {
    long samples = (long) receptiveField() * ratio;
    return (int) Long.highestOneBit(samples - 1) << 1;
  }

  /**
   * The prior's latent size for a model: an explicit size rounded up to a power of two, capped at
   * the model's latent size.
   */
  public static int roundLatentSize(int requested, int modelLatentSize) {
    int l = 1;
    while (l < requested) {
      l <<= 1;
    }
    return Math.min(l, modelLatentSize);
  }

  /** The latent size from the model's fidelity curve: first index with fidelity > f, rounded up. */
  public static int latentSizeForFidelity(float[] fidelity, double f) {
    int index = 0;
    for (int i = 0; i < fidelity.length; i++) {
      if (fidelity[i] > f) {
        index = i;
        break;
      }
    }
    return roundLatentSize(Math.max(index, 1), fidelity.length);
  }
}
