package org.jrave.model.latent;

import java.util.Arrays;
import org.jrave.engine.Module;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Parameter;
import org.jrave.engine.Tensor;

/**
 * A codebook learnt without gradients: codes are seeded by k-means on the first batch, then follow
 * exponential moving averages of the vectors assigned to them, and codes that fall out of use are
 * re-seeded from the batch. Buffers {@code inited [1]}, {@code cluster_size [K]}, {@code embed [K, d]},
 * {@code embed_avg [K, d]} (all float32, zero at construction, as the reference's).
 */
public final class EuclideanCodebook extends Module {
  private final CodebookSettings settings;
  private final Parameter inited;
  private final Parameter clusterSize;
  private final Parameter embed;
  private final Parameter embedAverage;

  public EuclideanCodebook(CodebookSettings settings) {
    this.settings = settings;
    this.inited = addBuffer("inited", Tensor.zeros(1));
    this.clusterSize = addBuffer("cluster_size", Tensor.zeros(settings.size()));
    this.embed = addBuffer("embed", Tensor.zeros(settings.size(), settings.dimension()));
    this.embedAverage = addBuffer("embed_avg", Tensor.zeros(settings.size(), settings.dimension()));
  }

  public CodebookSettings settings() {
    return settings;
  }

  /** The code vectors {@code [K, d]}. */
  public Tensor codes() {
    return embed.value();
  }

  /** EMA of the number of vectors assigned to each code {@code [K]}. */
  public Tensor clusterSize() {
    return clusterSize.value();
  }

  public boolean initialized() {
    return inited.value().item() != 0;
  }

  /** Index (int64) of the nearest code for every row of {@code vectors [N, d]}. */
  public Tensor nearest(Tensor vectors) {
    try (NoGrad ignored = NoGrad.enter()) {
      return KMeans.nearest(vectors, embed.value());
    }
  }

  /** The code vectors at {@code indices} (any shape), with a trailing axis of length d. */
  public Tensor lookup(Tensor indices) {
    long[] shape = indices.shape();
    long[] out = Arrays.copyOf(shape, shape.length + 1);
    out[shape.length] = settings.dimension();
    return embed.value().indexSelect(0, indices.reshape(-1)).reshape(out);
  }

  /** Seeds the codebook with k-means centres of {@code vectors [N, d]}. */
  public void initialize(Tensor vectors) {
    try (NoGrad ignored = NoGrad.enter()) {
      KMeans.Result result = KMeans.fit(vectors.detach(), settings.size(), settings.kmeansIterations());
      embed.assign(result.means());
      embedAverage.assign(result.means());
      clusterSize.assign(result.counts());
      inited.value().fillInPlace(1);
    }
  }

  /**
   * One training step on {@code vectors [N, d]} assigned to codes {@code assignment [N]}: re-seed dead
   * codes, then move the counts and code sums towards this batch's ({@code decay}) and set every code
   * to its average assigned vector, with Laplace-smoothed counts so unused codes do not divide by 0.
   */
  public void learn(Tensor vectors, Tensor assignment) {
    try (NoGrad ignored = NoGrad.enter()) {
      Tensor x = vectors.detach();
      expireDeadCodes(x);
      int k = settings.size();
      double decay = settings.decay();
      clusterSize.value().mulInPlace(decay).addInPlace(KMeans.bucketCounts(assignment, k), 1 - decay);
      embedAverage.value().mulInPlace(decay).addInPlace(KMeans.bucketSums(x, assignment, k), 1 - decay);
      Tensor counts = clusterSize.value();
      Tensor total = counts.sum();
      Tensor smoothed = counts.add(settings.epsilon()).div(total.add(k * settings.epsilon())).mul(total);
      embed.assign(embedAverage.value().div(smoothed.unsqueeze(1)));
    }
  }

  /**
   * Replaces the codes whose EMA count is below the threshold by random rows of {@code x}. (In a
   * training step the EMA update that follows recomputes every code from {@code embed_avg}, as in the
   * reference, so the re-seeded values only matter to callers in between.)
   */
  void expireDeadCodes(Tensor x) {
    Tensor dead = clusterSize.value().lessThan(settings.deadCodeThreshold());
    if (dead.toFloat().sum().item() == 0) {
      return;
    }
    Tensor replacements = KMeans.sampleRows(x, settings.size());
    embed.assign(Tensor.where(dead.unsqueeze(1), replacements, embed.value()));
  }
}
