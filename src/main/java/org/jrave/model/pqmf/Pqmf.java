package org.jrave.model.pqmf;

import org.jrave.engine.Module;
import org.jrave.engine.Tensor;
import org.jrave.model.blocks.Padding;
import org.jrave.model.blocks.PaddingMode;

/**
 * The M-band pseudo-quadrature mirror filter bank as the reference's "cached" variant computes it:
 * analysis is one strided convolution ({@code [B, 1, T] -> [B, M, T/M]}) followed by the sign flip
 * of odd bands at even frames; synthesis is one polyphase convolution whose output equals the input
 * delayed by M samples (centred padding). Causal padding moves all context into the past.
 *
 * <p>State-dict names follow the reference: {@code h}, {@code hk}, {@code forward_conv.weight},
 * {@code inverse_conv.weight}. The filters are fixed (buffers), never trained.
 */
public final class Pqmf extends Module {

  private final int bands;
  private final FixedWeight analysis;
  private final FixedWeight synthesis;
  private final Padding analysisPadding;
  private final Padding synthesisPadding;

  public Pqmf(int bands, double attenuation, PaddingMode mode) {
    this(PqmfFilters.design(bands, attenuation), mode);
  }

  public Pqmf(PqmfFilters filters, PaddingMode mode) {
    this.bands = filters.bands();
    int p = filters.paddedLength();
    int synthesisTaps = p / bands + 1;
    addBuffer("hk", Tensor.fromFloats(filters.hkFlat(), bands, p));
    addBuffer("h", Tensor.fromFloats(filters.prototype(), filters.prototype().length));
    this.analysis = addChild("forward_conv", new FixedWeight(
        Tensor.fromFloats(filters.analysisWeight(), bands, 1, p + 1)));
    this.synthesis = addChild("inverse_conv", new FixedWeight(
        Tensor.fromFloats(filters.synthesisWeight(), bands, bands, synthesisTaps)));
    this.analysisPadding = Padding.of(p + 1, 1, mode);
    this.synthesisPadding = Padding.of(synthesisTaps, 1, mode);
  }

  public int bands() {
    return bands;
  }

  public Padding analysisPadding() {
    return analysisPadding;
  }

  public Padding synthesisPadding() {
    return synthesisPadding;
  }

  /** {@code [B, 1, T] -> [B, M, T/M]}; T must be a multiple of M. */
  public Tensor analyze(Tensor x) {
    if (bands == 1) {
      return x;
    }
    Tensor padded = x.padLast(analysisPadding.left(), analysisPadding.right());
    return analyzePadded(padded, 0);
  }

  /** The strided analysis convolution on input that is already padded, then the sign flip. */
  public Tensor analyzePadded(Tensor padded, long firstFrame) {
    Tensor bandsOut = padded.conv1d(analysis.weight(), null, bands, 1, 1);
    return flipOddBandsAtEvenFrames(bandsOut, firstFrame);
  }

  /** {@code [B, M, T'] -> [B, 1, T' M]}. */
  public Tensor synthesize(Tensor x) {
    if (bands == 1) {
      return x;
    }
    Tensor flipped = flipOddBandsAtEvenFrames(x, 0);
    Tensor padded = flipped.padLast(synthesisPadding.left(), synthesisPadding.right());
    return synthesizePadded(padded);
  }

  /** The synthesis convolution on sign-flipped, already padded bands, then the interleave. */
  public Tensor synthesizePadded(Tensor flippedPadded) {
    Tensor u = flippedPadded.conv1d(synthesis.weight(), null, 1, 1, 1).mul(bands);
    long batch = u.size(0);
    long frames = u.size(2);
    return u.flip(1).permute(0, 2, 1).reshape(batch, 1, frames * bands);
  }

  /**
   * Negates odd bands at even frames ("reverse half"). {@code firstFrame} is the global index of
   * the first frame, so block-wise processing keeps the pattern of the whole signal.
   */
  public Tensor flipOddBandsAtEvenFrames(Tensor x, long firstFrame) {
    return x.mul(signPattern(x.size(2), Math.floorMod(firstFrame, 2), x));
  }

  /** Sign patterns are constants per (length, parity, device): made once, kept with the module. */
  private final java.util.Map<String, Tensor> signPatterns = new java.util.concurrent.ConcurrentHashMap<>();

  private Tensor signPattern(long frames, int parity, Tensor like) {
    if (frames > MAX_CACHED_FRAMES) {
      return makeSignPattern(frames, parity, like);
    }
    String key = frames + ":" + parity + ":" + like.device();
    return signPatterns.computeIfAbsent(key, k -> {
      try (org.jrave.engine.TensorScope scope = new org.jrave.engine.TensorScope()) {
        return scope.keep(makeSignPattern(frames, parity, like)).retain();
      }
    });
  }

  /** Block lengths of streaming and training; longer (whole-file) patterns are made per call. */
  private static final long MAX_CACHED_FRAMES = 8192;

  /** The pattern has period 2 in time: two frames of it, repeated natively (no long Java array). */
  private Tensor makeSignPattern(long frames, int parity, Tensor like) {
    float[] signs = new float[2 * bands];
    for (int band = 0; band < bands; band++) {
      for (int t = 0; t < 2; t++) {
        boolean flip = (band % 2 == 1) && (parity + t) % 2 == 0;
        signs[2 * band + t] = flip ? -1f : 1f;
      }
    }
    Tensor period = Tensor.fromFloats(signs, 1, bands, 2).to(like.device());
    return period.repeat(1, 1, (frames + 1) / 2).narrow(2, 0, frames);
  }

  @Override
  public void close() {
    signPatterns.values().forEach(Tensor::close);
    signPatterns.clear();
    super.close();
  }

  // ---------------------------------------------------------------- streaming

  /** The lag of the bands' stream in frames (the analysis is a stride-aligned convolution). */
  public int analysisLag() {
    return bands == 1 ? 0 : org.jrave.streaming.graph.GraphBuilder.convolutionLag(0, bands, analysisPadding, true);
  }

  /** The lag of the audio in samples for bands lagging the offline bands by {@code inputFrameLag} frames. */
  public int synthesisLag(int inputFrameLag) {
    return bands == 1 ? inputFrameLag : (inputFrameLag + synthesisPadding.right()) * bands;
  }

  /** Describes block-wise analysis of {@code [channels, samples]} audio to the block engine. */
  public org.jrave.streaming.graph.Signal lowerAnalysis(org.jrave.streaming.graph.GraphBuilder g,
      org.jrave.streaming.graph.Signal audio) {
    return bands == 1 ? audio : g.pqmfAnalysis(audio, analysis.weight(), analysisPadding);
  }

  /** Describes block-wise synthesis of {@code [channels * bands, frames]} to the block engine. */
  public org.jrave.streaming.graph.Signal lowerSynthesis(org.jrave.streaming.graph.GraphBuilder g,
      org.jrave.streaming.graph.Signal multiband) {
    return bands == 1 ? multiband : g.pqmfSynthesis(multiband, synthesis.weight(), synthesisPadding);
  }

  /** A naming node holding one fixed filter tensor as the buffer {@code weight}. */
  private static final class FixedWeight extends Module {
    private final org.jrave.engine.Parameter weight;

    FixedWeight(Tensor w) {
      this.weight = addBuffer("weight", w);
    }

    Tensor weight() {
      return weight.value();
    }
  }
}
