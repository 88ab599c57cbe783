package org.jrave.streaming.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jrave.engine.Device;
import org.jrave.engine.Module;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Precision;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.blocks.Padding;
import org.jrave.model.noise.NoiseSource;

/**
 * Turns a model into a {@link BlockGraph} for one block size: layers describe themselves through
 * {@code Layer.lower(GraphBuilder, Signal)}, calling the methods here, which work out each step's
 * delays and lags (the same arithmetic as the layers' own streaming plans), pack its weights and
 * add its kernel. A layer without a description is run through its own streaming form
 * ({@link #bridge}).
 */
public final class GraphBuilder {

  private final boolean referenceTransient;
  private final Precision precision;
  private final Device device;
  private final List<Signal> signals = new ArrayList<>();
  private final List<Kernel> kernels = new ArrayList<>();
  private final List<Signal> outputsOfKernels = new ArrayList<>();
  private final NoiseSetting noise = new NoiseSetting();
  private boolean built;
  private int fullPrecisionFrom = Integer.MAX_VALUE;

  public GraphBuilder(boolean referenceTransient, Precision precision, Device device) {
    this.referenceTransient = referenceTransient;
    this.precision = precision;
    this.device = device;
  }

  /**
   * Convolutions reading or writing {@code samples} or more per block keep float32 weights whatever
   * the precision: at the multiband signal's rate RAVE's filters cancel its strong low-frequency
   * content, and bfloat16 weights break the cancellation (15-30% error per layer, measured), while
   * those layers are bound by arithmetic, not by reading weights, so they gain nothing from it.
   */
  public void keepFloat32From(int samples) {
    fullPrecisionFrom = samples;
  }

  /** Where the decoder's noise comes from, read by noise layers at every block. */
  public static final class NoiseSetting {
    private volatile NoiseSource source = NoiseSource.RANDOM;

    public NoiseSource get() {
      return source;
    }

    public void set(NoiseSource s) {
      source = java.util.Objects.requireNonNull(s);
    }
  }

  public NoiseSetting noise() {
    return noise;
  }

  /** A signal the caller fills before every block. */
  public Signal input(String name, int channels, int block, int lag) {
    Signal s = new Signal(name, channels, block, lag);
    signals.add(s);
    return s;
  }

  private Signal produce(Kernel kernel, Signal out) {
    kernels.add(kernel);
    outputsOfKernels.add(out);
    return out;
  }

  private Signal signal(String name, int channels, int block, int lag) {
    Signal s = new Signal(name + "#" + signals.size(), channels, block, lag);
    signals.add(s);
    return s;
  }

  // ------------------------------------------------------------------ convolutions

  /**
   * A 1-D convolution: weight {@code [out, in / groups, k]}, optional bias, explicit padding. With
   * {@code strideAligned}, a strided convolution delays its input until the decimation keeps the
   * offline phase (what {@code Conv1d}'s own streaming plan does).
   */
  public Signal conv1d(String name, Signal x, Tensor weight, Tensor bias, int stride, int dilation, int groups,
      Padding padding, boolean strideAligned) {
    int out = (int) weight.size(0);
    int k = (int) weight.size(2);
    int strideDelay = strideDelay(x.lag(), stride, padding, strideAligned);
    int lag = convolutionLag(x.lag(), stride, padding, strideAligned);
    ConvShape shape = new ConvShape(x.channels(), out, k, stride, dilation, groups, 1, padding.total(),
        strideDelay + padding.total());
    int length = shape.outputLength(x.block());
    Signal y = signal(name, out, length, lag);
    return produce(new ConvKernel(y.name(), shape, !referenceTransient, x, y, pack(weight.toFloatArray(), x, y, length), floats(bias)), y);
  }

  /**
   * The delay a strided convolution adds to its input so that (right padding + lag) is a multiple of
   * the stride: the stream then keeps the offline decimation phase. Without alignment only the
   * padding counts (the reference's v2 noise branch).
   */
  static int strideDelay(int inputLag, int stride, Padding padding, boolean aligned) {
    return Math.floorMod(-(padding.right() + (aligned ? inputLag : 0)), stride);
  }

  /** The lag of a convolution's output stream, in output samples. */
  public static int convolutionLag(int inputLag, int stride, Padding padding, boolean aligned) {
    return (padding.right() + strideDelay(inputLag, stride, padding, aligned) + inputLag) / stride;
  }

  /**
   * A transposed convolution (weight {@code [in, out, k]}, groups 1) computed as {@code stride}
   * phases of a convolution over the input: output sample {@code t * s + r} is phase r of input
   * frame t, from taps {@code r, r + s, ...} of the kernel applied to frames t, t - 1, ... The
   * cropped padding becomes a lag, as in the layer's own streaming plan.
   */
  public Signal convTranspose1d(String name, Signal x, Tensor weight, Tensor bias, int stride, int padding) {
    int in = (int) weight.size(0);
    int out = (int) weight.size(1);
    int k = (int) weight.size(2);
    int taps = (k + stride - 1) / stride;
    float[] w = weight.toFloatArray();
    float[] rows = new float[out * stride * in * taps];
    int rowLength = in * taps;
    for (int o = 0; o < out; o++) {
      for (int r = 0; r < stride; r++) {
        int row = (o * stride + r) * rowLength;
        for (int c = 0; c < in; c++) {
          for (int tap = 0; tap < taps; tap++) {
            int back = taps - 1 - tap;
            int j = r + back * stride;
            rows[row + c * taps + tap] = j < k ? w[(c * out + o) * k + j] : 0f;
          }
        }
      }
    }
    ConvShape shape = new ConvShape(in, out * stride, taps, 1, 1, 1, stride, taps - 1, taps - 1);
    Signal y = signal(name, out, x.block() * stride, padding + x.lag() * stride);
    return produce(new ConvKernel(y.name(), shape, !referenceTransient, x, y, pack(rows, x, y, x.block()), floats(bias)), y);
  }

  /**
   * PQMF analysis of {@code channels} audio rows: every channel through the {@code [bands, 1, L]}
   * filters with stride {@code bands} (a grouped, stride-aligned convolution), then the sign pattern
   * of odd bands at even offline frames.
   */
  public Signal pqmfAnalysis(Signal audio, Tensor filters, Padding padding) {
    int bands = (int) filters.size(0);
    int length = (int) filters.size(2);
    int channels = audio.channels();
    float[] f = filters.toFloatArray();
    float[] rows = new float[channels * bands * length];
    for (int c = 0; c < channels; c++) {
      System.arraycopy(f, 0, rows, c * bands * length, bands * length);
    }
    try (TensorScope scope = new TensorScope()) {
      Tensor grouped = Tensor.fromFloats(rows, channels * bands, 1, length);
      Signal raw = conv1d("pqmf.analysis", audio, grouped, null, bands, 1, channels, padding, true);
      Signal signed = signal("pqmf.bands", raw.channels(), raw.block(), raw.lag());
      return produce(new RowKernel.AlternatingSign(signed.name(), raw, signed, bands), signed);
    }
  }

  /**
   * PQMF synthesis: the sign pattern, the {@code [bands, bands, L]} synthesis filters (scaled by
   * the band count) per channel, and the bands interleaved in reverse order into audio samples:
   * phase r of frame t is sample {@code t * bands + r}, from filter row {@code bands - 1 - r}.
   */
  public Signal pqmfSynthesis(Signal bandsSignal, Tensor filters, Padding padding) {
    int bands = (int) filters.size(0);
    int length = (int) filters.size(2);
    int channels = bandsSignal.channels() / bands;
    Signal signed = signal("pqmf.signed", bandsSignal.channels(), bandsSignal.block(), bandsSignal.lag());
    produce(new RowKernel.AlternatingSign(signed.name(), bandsSignal, signed, bands), signed);
    float[] f = filters.toFloatArray();
    int rowLength = bands * length;
    float[] rows = new float[channels * bands * rowLength];
    for (int c = 0; c < channels; c++) {
      for (int r = 0; r < bands; r++) {
        int src = (bands - 1 - r) * rowLength;
        int dst = (c * bands + r) * rowLength;
        for (int i = 0; i < rowLength; i++) {
          rows[dst + i] = f[src + i] * bands;
        }
      }
    }
    ConvShape shape = new ConvShape(channels * bands, channels * bands, length, 1, 1, channels, bands,
        padding.total(), padding.total());
    int frames = shape.outputLength(signed.block());
    Signal audio = signal("pqmf.audio", channels, frames * bands, (signed.lag() + padding.right()) * bands);
    return produce(new ConvKernel(audio.name(), shape, !referenceTransient, signed, audio, PackedWeights.of(rows, Precision.FP32), null),
        audio);
  }

  // ------------------------------------------------------------------ sample-by-sample steps

  public Signal leakyRelu(String name, Signal x, float slope) {
    Signal y = signal(name, x.channels(), x.block(), x.lag());
    return produce(new RowKernel.LeakyRelu(y.name(), x, 0, y, slope), y);
  }

  public Signal snake(String name, Signal x, Tensor alpha) {
    Signal y = signal(name, x.channels(), x.block(), x.lag());
    return produce(new RowKernel.Snake(y.name(), x, 0, y, alpha.toFloatArray()), y);
  }

  /** {@code scale * x + shift} per channel. */
  public Signal affine(String name, Signal x, float[] scale, float[] shift) {
    Signal y = signal(name, x.channels(), x.block(), x.lag());
    return produce(new RowKernel.Affine(y.name(), x, 0, y, scale, shift), y);
  }

  /** The sum of two signals, the earlier one delayed to meet the later one. */
  public Signal add(String name, Signal a, Signal b) {
    requireSameShape(name, a, b);
    int lag = Math.max(a.lag(), b.lag());
    Signal y = signal(name, a.channels(), a.block(), lag);
    return produce(new RowKernel.Add(y.name(), a, lag - a.lag(), b, lag - b.lag(), y), y);
  }

  /** {@code x} delayed until it lags the offline signal by {@code lag} (no step when it already does). */
  public Signal delay(String name, Signal x, int lag) {
    if (lag < x.lag()) {
      throw new IllegalArgumentException(name + ": cannot advance " + x + " to lag " + lag);
    }
    if (lag == x.lag()) {
      return x;
    }
    Signal y = signal(name, x.channels(), x.block(), lag);
    return produce(new RowKernel.Delay(y.name(), x, lag - x.lag(), y), y);
  }

  /**
   * The v2 decoder's output step (see {@link RowKernel.WaveOutput}); noise may be null. The noise
   * is added as it comes, unaligned, and the output keeps the waveform's lag (as the layers' own
   * streaming form and the reference do: noise frames cannot align with the waveform's lag).
   */
  public Signal waveOutput(Signal wave, Signal noiseSignal, boolean modulated) {
    int channels = modulated ? wave.channels() / 2 : wave.channels();
    Signal y = signal("output", channels, wave.block(), wave.lag());
    return produce(new RowKernel.WaveOutput(y.name(), wave, 0, noiseSignal, 0, y, modulated), y);
  }

  /** The v1 decoder's output step (see {@link RowKernel.LoudnessOutput}); noise may be null. */
  public Signal loudnessOutput(Signal wave, Signal loudness, Signal noiseSignal) {
    int lag = Math.max(wave.lag(), Math.max(loudness.lag(), noiseSignal == null ? 0 : noiseSignal.lag()));
    Signal y = signal("output", wave.channels(), wave.block(), lag);
    return produce(new RowKernel.LoudnessOutput(y.name(), wave, lag - wave.lag(), loudness, lag - loudness.lag(),
        noiseSignal, noiseSignal == null ? 0 : lag - noiseSignal.lag(), y), y);
  }

  /**
   * Filtered noise from {@code bands * noiseBands} feature rows, {@code frameLength} samples per
   * feature frame (see {@link FilteredNoiseKernel}); the lag scales with the frame length.
   */
  public Signal filteredNoise(Signal features, int bands, int noiseBands, int frameLength, float[][] response) {
    Signal y = signal("noise", bands, features.block() * frameLength, features.lag() * frameLength);
    return produce(new FilteredNoiseKernel(y.name(), features, y, bands, noiseBands, frameLength, response, noise), y);
  }

  // ------------------------------------------------------------------ anything else

  /**
   * A sample-by-sample layer the engine has no kernel for, run through its offline form on a tensor
   * copy of each block ({@link BridgeKernel}). Its output's shape is found on one silent block.
   * {@code source} is the layer's module, handed to visitors (exports write its computation).
   */
  public Signal pointwise(String name, Signal x, Module source, UnaryOperator<Tensor> layer) {
    long[] shape;
    try (TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      shape = layer.apply(Tensor.zeros(device, 1, x.channels(), x.block())).shape();
    }
    if (shape[2] != x.block()) {
      throw new IllegalArgumentException(name + " is not sample by sample: " + x.block() + " samples in, "
          + shape[2] + " out");
    }
    Signal y = signal(name, (int) shape[1], x.block(), x.lag());
    return produce(new BridgeKernel(y.name(), source, x, y, layer, device), y);
  }

  // ------------------------------------------------------------------ building

  /** The finished graph, reading {@code inputs} and giving {@code output}. */
  public BlockGraph build(List<Signal> inputs, Signal output) {
    if (built) {
      throw new IllegalStateException("this builder already built its graph");
    }
    built = true;
    fuseLeakyReluIntoConvolutions(output);
    for (Signal s : signals) {
      s.allocate();
    }
    return new BlockGraph(inputs, output, signals, kernels, outputsOfKernels, noise);
  }

  /**
   * Every LeakyReLU whose output only one convolution reads is computed by that convolution as it
   * gathers its taps ({@link ConvKernel#withLeakyInput}): the LeakyReLU's step and its signal go.
   * The result is the same to the bit; the exports still see both steps.
   */
  private void fuseLeakyReluIntoConvolutions(Signal output) {
    List<List<Signal>> reads = new ArrayList<>();
    Map<Signal, Integer> readers = new HashMap<>();
    for (Kernel k : kernels) {
      List<Signal> in = KernelInputs.of(k);
      reads.add(in);
      for (Signal s : in) {
        readers.merge(s, 1, Integer::sum);
      }
    }
    boolean[] fused = new boolean[kernels.size()];
    for (int i = 0; i < kernels.size(); i++) {
      Signal y = outputsOfKernels.get(i);
      if (!(kernels.get(i) instanceof RowKernel.LeakyRelu relu) || relu.delay(0) != 0 || y == output
          || readers.getOrDefault(y, 0) != 1) {
        continue;
      }
      for (int j = i + 1; j < kernels.size(); j++) {
        if (reads.get(j).contains(y)) {
          if (kernels.get(j) instanceof ConvKernel conv && conv.input() == y && !conv.hasLeakyInput()) {
            kernels.set(j, conv.withLeakyInput(relu.input(0), relu.slope()));
            fused[i] = true;
            signals.remove(y);
          }
          break;
        }
      }
    }
    for (int i = kernels.size() - 1; i >= 0; i--) {
      if (fused[i]) {
        kernels.remove(i);
        outputsOfKernels.remove(i);
      }
    }
  }

  /**
   * Weights for a convolution computing {@code outputs} samples per row and block. Reduced precision
   * only for the dot-product form (fewer than {@link #REDUCED_BELOW_OUTPUTS} outputs per weight read),
   * where reading the weights costs as much as or more than the arithmetic: with 8 outputs, bfloat16
   * weights in the four-row forms take 58 against 80 us (384 x 384 x 3, weights from memory). The tiled
   * layers are bound by arithmetic alone and keep float32: bfloat16 would cost its widening and its
   * error for nothing.
   */
  private PackedWeights pack(float[] rows, Signal in, Signal out, int outputs) {
    boolean multibandRate = Math.max(in.block(), out.block()) >= fullPrecisionFrom;
    boolean weightBound = outputs < REDUCED_BELOW_OUTPUTS;
    return PackedWeights.of(rows, multibandRate || !weightBound ? Precision.FP32 : precision);
  }

  /** See {@link #pack}. */
  static final int REDUCED_BELOW_OUTPUTS = ConvKernel.DOT_FORM_BELOW;

  private static float[] floats(Tensor t) {
    return t == null ? null : t.toFloatArray();
  }

  private static void requireSameShape(String name, Signal a, Signal b) {
    if (a.channels() != b.channels() || a.block() != b.block()) {
      throw new IllegalArgumentException(name + ": cannot combine " + a + " and " + b);
    }
  }
}
