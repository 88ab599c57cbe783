/**
 * The prior (spec section 9): an autoregressive WaveNet-style model of a VAE model's latent, in
 * the PCA basis and truncated to {@code L} dimensions, for unconditional generation.
 *
 * <ul>
 *   <li>{@link org.jrave.prior.PriorLatents}: audio to the prior's latent and back (9.1).
 *   <li>{@link org.jrave.prior.DiagonalShift}, {@link org.jrave.prior.GaussianQuantizer}: the
 *       latent pre-processing (9.1).
 *   <li>{@link org.jrave.prior.PriorNetwork}: the network (9.2), {@link org.jrave.prior.PriorConfig}
 *       its shape ({@code prior_v1.gin} by default).
 *   <li>{@link org.jrave.prior.PriorTrainer}: one Adam step of the cross-entropy over the quantised
 *       latent (9.3); {@code jrave train-prior} loops it over an LMDB dataset, checkpointing
 *       with {@link org.jrave.prior.PriorCheckpoint} for {@code --resume}.
 *   <li>{@link org.jrave.prior.PriorSampler}: generation with temperature (9.4); {@code jrave sample}.
 *   <li>{@link org.jrave.prior.PriorFile}: the trained prior on disk.
 * </ul>
 *
 * <p><b>TorchScript export.</b> {@code jrave export --prior PRIOR} bundles the prior as the nn~
 * method {@code prior} ({@code org.jrave.interop.PriorScript}): params {@code [1, ratio, L, ratio]},
 * a temperature signal {@code (B, 1, F)} in ({@code softplus(mean_t(temp)) / ln 2}, input 0 gives
 * 1), latents {@code (B, L, F)} for {@code decode} out. It runs what
 * {@link org.jrave.prior.PriorSampler} runs, one frame per step, with the same per-convolution
 * caches, starting from the class of 0 in every dimension; the inverse
 * {@link org.jrave.prior.DiagonalShift} goes through an {@code L - 1}-frame cache.
 */
package org.jrave.prior;
