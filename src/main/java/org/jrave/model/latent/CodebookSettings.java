package org.jrave.model.latent;

/**
 * Hyper-parameters of one vector-quantisation codebook.
 *
 * @param size number of codes
 * @param dimension length of a code vector (the latent channels; no projection)
 * @param decay EMA decay of the code statistics
 * @param epsilon Laplace smoothing of the code counts
 * @param kmeansIterations k-means iterations of the data-driven initialisation
 * @param deadCodeThreshold codes whose EMA count falls below this are re-seeded from the batch
 * @param commitmentWeight weight of the commitment loss
 */
public record CodebookSettings(
    int size, int dimension, double decay, double epsilon, int kmeansIterations, double deadCodeThreshold,
    double commitmentWeight) {

  /** RAVE's settings (discrete.gin): decay 0.99, epsilon 1e-5, 50 k-means iterations, threshold 2. */
  public static CodebookSettings rave(int size, int dimension) {
    return new CodebookSettings(size, dimension, 0.99, 1e-5, 50, 2, 1);
  }
}
