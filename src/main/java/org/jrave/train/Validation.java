package org.jrave.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveModel;
import org.jrave.model.latent.VariationalEncoder;
import org.jrave.train.loss.AudioDistance;

/**
 * The validation pass (spec 5.6): in eval mode, each held-out batch is encoded, reparametrised
 * (sampled, as the reference does) and decoded; the score is the mean over batches of the
 * full-band spectral distance. For a VAE in phase 1 the latent means are collected and a
 * {@link LatentPca} is fitted and stored in the model's {@code latent_pca}, {@code latent_mean} and
 * {@code fidelity} buffers (frozen in phase 2). The PCA needs at least as many latent frames as
 * latent dimensions: when the validation split holds fewer, training batches are encoded too (by
 * the same encoder, in the same pass) until there are enough, so a small dataset still gets a PCA.
 */
public final class Validation {

  /** Items kept for listening: the first {@link #EXAMPLES} inputs and reconstructions. */
  public static final int EXAMPLES = 8;

  /**
   * @param distance mean full-band distance over the validation batches
   * @param inputs, outputs first items as {@code [channels][samples]}
   * @param pca the fitted PCA, or null when none was fitted
   * @param pcaFrames latent frames collected for the PCA (0 when none was to be fitted)
   */
  public record Result(double distance, List<float[][]> inputs, List<float[][]> outputs, LatentPca pca,
      long pcaFrames) {}

  private Validation() {}

  /**
   * @param fitPca whether to fit the latent PCA (phase 1 of a VAE)
   * @param moreLatents training batches to encode when the validation latents are fewer than the
   *     latent dimensions; opened only then
   */
  public static Result run(RaveModel model, AudioDistance distance, Iterator<Tensor> batches, boolean fitPca,
      Supplier<Iterator<Tensor>> moreLatents) {
    boolean wasTraining = model.isTraining();
    model.eval();
    List<float[][]> inputs = new ArrayList<>();
    List<float[][]> outputs = new ArrayList<>();
    List<Tensor> means = new ArrayList<>();
    double sum = 0;
    int count = 0;
    boolean vae = model.encoder() instanceof VariationalEncoder;
    try (TensorScope outer = new TensorScope(); NoGrad ignored = NoGrad.enter()) {
      while (batches.hasNext()) {
        try (TensorScope scope = new TensorScope()) {
          Tensor x = batches.next();
          Tensor raw = model.encodeRaw(x);
          Tensor y = model.decode(model.encoder().reparametrize(raw).z()).narrow(2, 0, x.size(2));
          sum += distance.distance(x, y).item();
          count++;
          if (fitPca && vae) {
            means.add(scope.keep(meanRows(model, raw)));
          }
          for (int b = 0; b < x.size(0) && inputs.size() < EXAMPLES; b++) {
            inputs.add(channels(x.select(0, b)));
            outputs.add(channels(y.select(0, b)));
          }
        }
      }
      if (fitPca && vae) {
        addTrainingLatents(model, means, moreLatents);
      }
      LatentPca pca = means.isEmpty() ? null : LatentPca.fit(Tensor.cat(means, 0));
      if (pca != null) {
        store(model, pca);
      }
      return new Result(count == 0 ? Double.NaN : sum / count, inputs, outputs, pca, rows(means));
    } finally {
      model.train(wasTraining);
    }
  }

  /** Tops the latent rows up from training batches until they reach the latent size (or run out). */
  private static void addTrainingLatents(RaveModel model, List<Tensor> means, Supplier<Iterator<Tensor>> moreLatents) {
    long needed = model.latentMean().size(0);
    if (rows(means) >= needed || moreLatents == null) {
      return;
    }
    Iterator<Tensor> training = moreLatents.get();
    while (rows(means) < needed && training.hasNext()) {
      try (TensorScope scope = new TensorScope()) {
        means.add(scope.keep(meanRows(model, model.encodeRaw(training.next()))));
      }
    }
  }

  /** The posterior means as rows {@code [batch * frames, latent]}. */
  private static Tensor meanRows(RaveModel model, Tensor raw) {
    Tensor mean = ((VariationalEncoder) model.encoder()).mean(raw);
    return mean.permute(0, 2, 1).reshape(-1, mean.size(1)).contiguous();
  }

  private static long rows(List<Tensor> means) {
    return means.stream().mapToLong(m -> m.size(0)).sum();
  }

  private static float[][] channels(Tensor item) {
    float[][] out = new float[(int) item.size(0)][];
    for (int c = 0; c < out.length; c++) {
      out[c] = item.select(0, c).contiguous().toFloatArray();
    }
    return out;
  }

  private static void store(RaveModel model, LatentPca pca) {
    int z = pca.mean().length;
    model.latentMean().copyInPlace(Tensor.fromFloats(pca.mean(), z));
    model.latentPca().copyInPlace(Tensor.fromFloats(pca.components(), z, z));
    model.fidelity().copyInPlace(Tensor.fromFloats(pca.fidelity(), z));
  }
}
