/**
 * Playing a model: batch transformation of files ({@link org.jrave.play.GenerationPlan},
 * {@link org.jrave.play.BatchGeneration}, {@link org.jrave.play.Generator}, {@code jrave generate}),
 * latent manipulation in the PCA basis ({@link org.jrave.play.LatentShaper}), and the live loop
 * ({@link org.jrave.play.LiveEngine}, {@code jrave live}) between sound-card lines
 * ({@link org.jrave.play.LineInput}, {@link org.jrave.play.LineOutput}) or clocked virtual devices
 * ({@link org.jrave.play.LoopingFileInput}, {@link org.jrave.play.VirtualOutput}) with control from
 * OSC ({@link org.jrave.play.OscControl}) and the terminal ({@link org.jrave.play.TerminalControl}).
 */
package org.jrave.play;
