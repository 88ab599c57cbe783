package org.jrave.model.latent;

import org.jrave.engine.Tensor;

/** Lloyd's k-means on the rows of a {@code [N, d]} matrix, used to seed a codebook from data. */
final class KMeans {
  private KMeans() {}

  /** Centres {@code [k, d]} and the number of samples assigned to each in the last iteration {@code [k]}. */
  record Result(Tensor means, Tensor counts) {}

  static Result fit(Tensor samples, int k, int iterations) {
    Tensor means = sampleRows(samples, k);
    Tensor counts = Tensor.zeros(samples.device(), k);
    for (int i = 0; i < iterations; i++) {
      Tensor assignment = nearest(samples, means);
      counts = bucketCounts(assignment, k);
      Tensor sums = bucketSums(samples, assignment, k);
      Tensor empty = counts.equalTo(0).unsqueeze(1);
      // Empty clusters keep their previous centre.
      means = Tensor.where(empty, means, sums.div(counts.clampMin(1).unsqueeze(1)));
    }
    return new Result(means, counts);
  }

  /** {@code count} rows of {@code samples}: without replacement when there are enough, else with. */
  static Tensor sampleRows(Tensor samples, int count) {
    long n = samples.size(0);
    Tensor index = n >= count
        ? Tensor.randperm(samples.device(), n).narrow(0, 0, count)
        : Tensor.randint(samples.device(), n, count);
    return samples.indexSelect(0, index);
  }

  /** Index of the nearest row of {@code codes} (squared Euclidean distance) for every sample. */
  static Tensor nearest(Tensor samples, Tensor codes) {
    Tensor distances = samples.square().sum(1, true)
        .sub(samples.matmul(codes.transpose(0, 1)).mul(2))
        .add(codes.square().sum(1, false).unsqueeze(0));
    return distances.argmin(1);
  }

  /** How many samples each of the {@code k} buckets got. */
  static Tensor bucketCounts(Tensor assignment, int k) {
    Tensor ones = Tensor.full(1, assignment.size(0)).to(assignment.device());
    return Tensor.zeros(assignment.device(), k).indexAdd(0, assignment, ones);
  }

  /** The sum of the samples of each of the {@code k} buckets. */
  static Tensor bucketSums(Tensor samples, Tensor assignment, int k) {
    return Tensor.zeros(samples.device(), k, samples.size(1)).indexAdd(0, assignment, samples);
  }
}
