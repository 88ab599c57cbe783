package org.jrave.prior;

import org.jrave.engine.Adam;
import org.jrave.engine.Categorical;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;

/**
 * One step of prior training (spec 9.3): encode the audio to PCA latents (RAVE frozen), diagonal
 * shift, quantise to classes, predict each next frame, and minimise the cross-entropy over the
 * classes, averaged over batch, dimensions and time; Adam on the prior's parameters.
 */
public final class PriorTrainer implements AutoCloseable {
  private final PriorNetwork network;
  private final PriorLatents latents;
  private final GaussianQuantizer quantizer;
  private final Adam adam;

  public PriorTrainer(PriorNetwork network, PriorLatents latents, double learningRate) {
    if (network.config().latentSize() != latents.size()) {
      throw new IllegalArgumentException("prior and latent sizes differ");
    }
    this.network = network;
    this.latents = latents;
    this.quantizer = new GaussianQuantizer(network.config().resolution());
    // PyTorch's default betas and eps, as the reference's prior uses.
    this.adam = new Adam(network.namedParameters(), new Adam.Settings(learningRate, 0.9, 0.999, 1e-8));
  }

  Adam optimizer() {
    return adam;
  }

  /** Trains on one batch of audio ({@code [batch][channels][length]} flattened); returns the loss. */
  public double step(float[] samples, int batch, int channels, int length) {
    network.train(true);
    try (TensorScope scope = new TensorScope()) {
      Tensor loss = loss(samples, batch, channels, length);
      adam.zeroGrad();
      loss.backward();
      adam.step();
      return loss.item();
    }
  }

  /** Trains on latents already encoded ({@code [batch][L][frames]}, PCA basis); returns the loss. */
  public double stepOnLatents(float[][][] z) {
    network.train(true);
    try (TensorScope scope = new TensorScope()) {
      Tensor loss = lossOnLatents(z);
      adam.zeroGrad();
      loss.backward();
      adam.step();
      return loss.item();
    }
  }

  /** The loss on a batch without training (validation). */
  public double evaluate(float[] samples, int batch, int channels, int length) {
    network.train(false);
    try (TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      return loss(samples, batch, channels, length).item();
    }
  }

  private Tensor loss(float[] samples, int batch, int channels, int length) {
    return lossOnLatents(latents.encode(samples, batch, channels, length));
  }

  private Tensor lossOnLatents(float[][][] z) {
    int batch = z.length;
    int dims = latents.size();
    int r = quantizer.resolution();
    int[][][] classes = new int[batch][][];
    for (int b = 0; b < batch; b++) {
      float[][] shifted = DiagonalShift.forward(z[b]);
      classes[b] = new int[dims][shifted[0].length];
      for (int d = 0; d < dims; d++) {
        for (int t = 0; t < shifted[d].length; t++) {
          classes[b][d][t] = quantizer.classOf(shifted[d][t]);
        }
      }
    }
    int frames = classes[0][0].length;
    if (frames < 2) {
      throw new IllegalArgumentException("the training crop is too short: " + frames + " latent frame(s) after the "
          + "diagonal shift, at least 2 needed");
    }
    long[] targets = new long[batch * dims * (frames - 1)];
    int k = 0;
    for (int b = 0; b < batch; b++) {
      for (int d = 0; d < dims; d++) {
        for (int t = 1; t < frames; t++) {
          targets[k++] = classes[b][d][t];
        }
      }
    }
    Tensor x = OneHot.of(classes, r).to(network.device());
    Tensor logits = network.forward(x).narrow(2, 0, frames - 1)
        .reshape(batch, dims, r, frames - 1).permute(0, 1, 3, 2).reshape(-1, r);
    return Categorical.crossEntropy(logits, Tensor.fromLongs(targets, targets.length).to(network.device()));
  }

  @Override
  public void close() {
    adam.close();
  }
}
