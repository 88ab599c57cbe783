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
 *       latent (9.3); {@code jrave train-prior} loops it over an LMDB dataset.
 *   <li>{@link org.jrave.prior.PriorSampler}: generation with temperature (9.4); {@code jrave sample}.
 *   <li>{@link org.jrave.prior.PriorFile}: the trained prior on disk.
 * </ul>
 *
 * <p><b>Hook for the TorchScript export (interop).</b> An exported model gets the prior as its
 * {@code prior} method with params {@code [1, ratio, L, ratio]}: input a temperature signal
 * {@code (B, 1, F)}, output latents {@code (B, L, F)} for {@code decode}; temperature
 * {@code softplus(mean_t(temp)) / ln 2} (input 0 gives 1). Everything it needs is here:
 * {@link org.jrave.prior.PriorFile#load} gives the network (its {@code stateEntries()} are the
 * weights: {@code pre_net.*}, {@code residuals.N.conv|res|skip.*}, {@code post_net1.*},
 * {@code post_net2.*}, every convolution causal with left padding {@code (k - 1) * dilation}) and
 * its {@link org.jrave.prior.PriorConfig}; one export step is what
 * {@link org.jrave.prior.PriorSampler#sample} does per frame: logits of the last frame divided by
 * the temperature, a class drawn per dimension, its dithered value
 * ({@link org.jrave.prior.GaussianQuantizer#valueOf}), and the inverse
 * {@link org.jrave.prior.DiagonalShift} through an {@code L - 1}-frame cache. The state starts at
 * the class of 0 in every dimension ({@code resolution / 2}).
 */
package org.jrave.prior;
