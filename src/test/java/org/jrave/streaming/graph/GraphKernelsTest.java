package org.jrave.streaming.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jrave.engine.Device;
import org.jrave.engine.Engine;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Precision;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.blocks.Padding;
import org.jrave.model.blocks.PaddingMode;
import org.jrave.model.pqmf.Pqmf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The block engine's kernels against libtorch's own operators: small graphs built directly with
 * {@link GraphBuilder} on random weights, fed random input block by block, must give the offline
 * result (convolution of the zero-padded whole signal, transposed convolution, PQMF) delayed by the
 * lag the graph reports. Float32 weights agree to 1e-5 of the output's peak, on one thread and on
 * two; bfloat16 weights stay within 1e-2 of the float32 graph's peak and really differ from it.
 */
class GraphKernelsTest {
  private static final double FLOAT32_TOLERANCE = 1e-5;
  private static final double BFLOAT16_TOLERANCE = 1e-2;

  private TensorScope scope;
  private NoGrad noGrad;

  @BeforeAll
  static void engine() {
    Engine.initialize(2);
  }

  @BeforeEach
  void open() {
    scope = new TensorScope();
    noGrad = NoGrad.enter();
  }

  @AfterEach
  void close() {
    noGrad.close();
    scope.close();
  }

  // ------------------------------------------------------------------ streaming harness

  /** Adds steps after the input signal; returns the signals to read (the first one is the output). */
  @FunctionalInterface
  interface Graph {
    List<Signal> build(GraphBuilder g, Signal input);
  }

  /** Every read signal, its blocks concatenated ({@code [channels][blocks * block]}), and its lag. */
  record Streamed(float[][] samples, int lag) {}

  /**
   * Builds the graph for input blocks of {@code block} samples and streams {@code x}
   * ({@code [channels][length]}, a multiple of the block) through it on {@code threads} threads.
   */
  static List<Streamed> stream(Graph graph, float[][] x, int block, int threads, Precision precision) {
    return stream(graph, x, block, threads, precision, new ArrayList<>());
  }

  /** As above, adding the names of the built graph's steps to {@code steps}. */
  static List<Streamed> stream(Graph graph, float[][] x, int block, int threads, Precision precision,
      List<String> steps) {
    GraphBuilder g = new GraphBuilder(false, precision, Device.CPU);
    Signal in = g.input("in", x.length, block, 0);
    List<Signal> reads = graph.build(g, in);
    int blocks = x[0].length / block;
    List<float[][]> out = new ArrayList<>();
    for (Signal s : reads) {
      out.add(new float[s.channels()][blocks * s.block()]);
    }
    try (BlockGraph bg = g.build(List.of(in), reads.get(0)); Workers workers = new Workers(threads)) {
      bg.setWorkers(workers);
      steps.addAll(bg.profile().keySet());
      for (int b = 0; b < blocks; b++) {
        bg.startBlock();
        for (int c = 0; c < x.length; c++) {
          System.arraycopy(x[c], b * block, in.data(), in.blockStart(c), block);
        }
        bg.run();
        for (int r = 0; r < reads.size(); r++) {
          Signal s = reads.get(r);
          for (int c = 0; c < s.channels(); c++) {
            System.arraycopy(s.data(), s.blockStart(c), out.get(r)[c], b * s.block(), s.block());
          }
        }
      }
    }
    List<Streamed> result = new ArrayList<>();
    for (int r = 0; r < reads.size(); r++) {
      result.add(new Streamed(out.get(r), reads.get(r).lag()));
    }
    return result;
  }

  static Streamed streamOne(Graph graph, float[][] x, int block, int threads, Precision precision) {
    return stream(graph, x, block, threads, precision).get(0);
  }

  static Streamed streamOne(Graph graph, float[][] x, int block, int threads, Precision precision,
      List<String> steps) {
    return stream(graph, x, block, threads, precision, steps).get(0);
  }

  /** Random input {@code [channels][length]}. */
  static float[][] randomInput(int channels, int length) {
    float[] flat = Tensor.randn(Device.CPU, channels, length).toFloatArray();
    float[][] x = new float[channels][length];
    for (int c = 0; c < channels; c++) {
      System.arraycopy(flat, c * length, x[c], 0, length);
    }
    return x;
  }

  static Tensor tensor(float[][] x) {
    float[] flat = new float[x.length * x[0].length];
    for (int c = 0; c < x.length; c++) {
      System.arraycopy(x[c], 0, flat, c * x[0].length, x[0].length);
    }
    return Tensor.fromFloats(flat, 1, x.length, x[0].length);
  }

  /**
   * The streamed samples from its lag on against the offline {@code [1, channels, length]} result
   * (as far as both reach); returns the largest error relative to the offline peak.
   */
  static double relativeError(Streamed streamed, Tensor offline) {
    int channels = (int) offline.size(1);
    int length = (int) offline.size(2);
    assertThat(streamed.samples().length).as("channels").isEqualTo(channels);
    int compared = Math.min(length, streamed.samples()[0].length - streamed.lag());
    assertThat(compared).as("samples to compare (lag %d)", streamed.lag()).isGreaterThanOrEqualTo(length / 2);
    float[] expected = offline.contiguous().toFloatArray();
    double peak = 0;
    double worst = 0;
    for (int c = 0; c < channels; c++) {
      for (int i = 0; i < compared; i++) {
        float e = expected[c * length + i];
        peak = Math.max(peak, Math.abs(e));
        worst = Math.max(worst, Math.abs(e - streamed.samples()[c][streamed.lag() + i]));
      }
    }
    assertThat(peak).as("offline output is not silent").isGreaterThan(0);
    return worst / peak;
  }

  /** Largest difference between two streams of the same graph, relative to the first one's peak. */
  static double relativeDifference(Streamed reference, Streamed other) {
    assertThat(other.lag()).isEqualTo(reference.lag());
    double peak = 0;
    double worst = 0;
    for (int c = 0; c < reference.samples().length; c++) {
      for (int i = 0; i < reference.samples()[c].length; i++) {
        peak = Math.max(peak, Math.abs(reference.samples()[c][i]));
        worst = Math.max(worst, Math.abs(reference.samples()[c][i] - other.samples()[c][i]));
      }
    }
    assertThat(peak).isGreaterThan(0);
    return worst / peak;
  }

  // ------------------------------------------------------------------ convolutions

  /**
   * One convolution: {@code in -> out} channels, kernel, stride, dilation, groups, padding mode,
   * bias, input block, and the lag of its input (a delay step before the convolution, which a
   * stride-aligned convolution must absorb).
   */
  record ConvCase(String name, int in, int out, int kernel, int stride, int dilation, int groups, PaddingMode mode,
      boolean bias, int block, int inputLag, boolean aligned) {
    @Override
    public String toString() {
      return name + " (" + in + "->" + out + ", k" + kernel + " s" + stride + " d" + dilation + " g" + groups + " "
          + mode + (bias ? " bias" : " no bias") + ", block " + block + ", input lag " + inputLag + ")";
    }

    int outputsPerBlock() {
      Padding p = Padding.of(kernel, dilation, mode);
      return (block + p.total() - ((kernel - 1) * dilation + 1)) / stride + 1;
    }
  }

  static List<ConvCase> convCases() {
    PaddingMode centered = PaddingMode.CENTERED;
    PaddingMode causal = PaddingMode.CAUSAL;
    return List.of(
        // dot form (fewer than 16 outputs per block): 1, 2 (count 2), 3 (2 + 1), 6 (4 + 2) outputs
        new ConvCase("dot", 7, 13, 3, 1, 1, 1, centered, true, 1, 0, true),
        new ConvCase("dot", 7, 13, 3, 1, 1, 1, centered, true, 2, 0, true),
        new ConvCase("dot", 7, 13, 3, 1, 1, 1, causal, false, 3, 0, true),
        new ConvCase("dot", 7, 13, 5, 1, 1, 1, centered, true, 6, 0, true),
        new ConvCase("dot dilated", 7, 13, 3, 1, 4, 1, centered, true, 6, 0, true),
        new ConvCase("dot strided", 8, 12, 8, 4, 1, 1, centered, true, 8, 0, true),
        new ConvCase("dot strided, one output", 8, 12, 8, 4, 1, 1, centered, true, 4, 0, true),
        new ConvCase("dot strided, aligned", 6, 10, 8, 4, 1, 1, centered, true, 8, 1, true),
        new ConvCase("dot strided, aligned", 6, 10, 4, 2, 1, 1, causal, true, 2, 3, true),
        new ConvCase("dot groups 2", 8, 12, 3, 1, 1, 2, centered, true, 2, 0, true),
        new ConvCase("dot groups 16", 32, 32, 3, 1, 1, 16, centered, true, 1, 0, true),
        new ConvCase("dot groups 16", 32, 48, 5, 1, 1, 16, centered, false, 6, 0, true),
        new ConvCase("dot wide (shared out), one output", 256, 256, 3, 1, 1, 1, causal, true, 1, 0, true),
        new ConvCase("dot wide (shared out)", 128, 132, 3, 1, 1, 1, centered, true, 6, 0, true),
        // tiled form (16 or more outputs per block), lengths beside multiples of the vector pair
        new ConvCase("tiled", 7, 13, 3, 1, 1, 1, centered, true, 40, 0, true),
        new ConvCase("tiled", 7, 13, 3, 1, 1, 1, centered, true, 24, 0, true),
        new ConvCase("tiled", 7, 13, 3, 1, 1, 1, causal, false, 48, 0, true),
        new ConvCase("tiled", 7, 13, 1, 1, 1, 1, centered, true, 64, 0, true),
        new ConvCase("tiled", 5, 3, 7, 1, 1, 1, centered, true, 17, 0, true),
        new ConvCase("tiled dilated", 7, 13, 3, 1, 3, 1, centered, true, 40, 0, true),
        new ConvCase("tiled dilated", 6, 9, 5, 1, 9, 1, causal, true, 24, 2, true),
        new ConvCase("tiled strided", 7, 13, 4, 2, 1, 1, centered, true, 80, 0, true),
        new ConvCase("tiled strided, aligned", 7, 13, 8, 4, 1, 1, centered, true, 96, 1, true),
        new ConvCase("tiled strided, aligned", 7, 13, 5, 2, 1, 1, causal, false, 48, 3, true),
        new ConvCase("tiled strided, not aligned", 7, 13, 5, 2, 1, 1, causal, true, 48, 0, false),
        new ConvCase("tiled groups 2", 8, 12, 3, 1, 1, 2, centered, true, 40, 0, true),
        new ConvCase("tiled groups 2", 14, 10, 3, 1, 2, 2, causal, false, 24, 0, true),
        new ConvCase("tiled groups 16", 32, 32, 5, 1, 1, 16, centered, true, 40, 0, true),
        new ConvCase("tiled groups 16", 16, 48, 3, 1, 1, 16, centered, true, 24, 0, true),
        new ConvCase("tiled wide (shared out)", 64, 66, 3, 1, 1, 1, centered, true, 72, 0, true),
        new ConvCase("tiled wide groups 2 (shared out)", 64, 64, 5, 1, 1, 2, centered, false, 40, 0, true));
  }

  static Stream<Arguments> convCasesOnThreads() {
    List<Arguments> out = new ArrayList<>();
    for (ConvCase c : convCases()) {
      out.add(Arguments.of(c, 1));
      out.add(Arguments.of(c, 2));
    }
    return out.stream();
  }

  record ConvWeights(Tensor weight, Tensor bias) {}

  static ConvWeights convWeights(ConvCase c) {
    Tensor w = Tensor.randn(Device.CPU, c.out(), c.in() / c.groups(), c.kernel())
        .mul(1.0 / Math.sqrt(c.in() / c.groups() * c.kernel()));
    Tensor b = c.bias() ? Tensor.randn(Device.CPU, c.out()) : null;
    return new ConvWeights(w, b);
  }

  static Graph convGraph(ConvCase c, ConvWeights w) {
    Padding padding = Padding.of(c.kernel(), c.dilation(), c.mode());
    return (g, x) -> {
      Signal delayed = g.delay("delay", x, c.inputLag());
      return List.of(g.conv1d("conv", delayed, w.weight(), w.bias(), c.stride(), c.dilation(), c.groups(), padding,
          c.aligned()));
    };
  }

  @ParameterizedTest(name = "{0} on {1} thread(s)")
  @MethodSource("convCasesOnThreads")
  void convolutionEqualsLibtorch(ConvCase c, int threads) {
    Engine.manualSeed(11);
    ConvWeights w = convWeights(c);
    int blocks = 12 + 64 / c.block();
    float[][] x = randomInput(c.in(), blocks * c.block());
    Padding padding = Padding.of(c.kernel(), c.dilation(), c.mode());
    Tensor offline = tensor(x).padLast(padding.left(), padding.right())
        .conv1d(w.weight(), w.bias(), c.stride(), c.dilation(), c.groups());

    Streamed streamed = streamOne(convGraph(c, w), x, c.block(), threads, Precision.FP32);

    assertThat(streamed.samples()[0].length / blocks).as("outputs per block").isEqualTo(c.outputsPerBlock());
    assertThat(relativeError(streamed, offline)).as("max error relative to the peak, lag %d", streamed.lag())
        .isLessThanOrEqualTo(FLOAT32_TOLERANCE);
  }

  static Stream<Arguments> bfloat16Cases() {
    List<Arguments> out = new ArrayList<>();
    for (ConvCase c : convCases()) {
      if (c.in() >= 7 && (c.block() == 1 || c.block() == 6 || c.block() == 40 || c.block() == 72)) {
        out.add(Arguments.of(c, 1));
        out.add(Arguments.of(c, 2));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} on {1} thread(s)")
  @MethodSource("bfloat16Cases")
  void bfloat16WeightsStayCloseToFloat32(ConvCase c, int threads) {
    Engine.manualSeed(12);
    ConvWeights w = convWeights(c);
    float[][] x = randomInput(c.in(), (12 + 64 / c.block()) * c.block());
    Streamed exact = streamOne(convGraph(c, w), x, c.block(), threads, Precision.FP32);
    Streamed bf16 = streamOne(convGraph(c, w), x, c.block(), threads, Precision.BF16);
    assertReducedOnlyWhereWeightBound(relativeDifference(exact, bf16), c.outputsPerBlock());
  }

  /**
   * bfloat16 weights are used (a small, non-zero error) only where few outputs per block make the
   * product bound by reading weights; elsewhere the weights stay float32 (exactly the same output).
   */
  private static void assertReducedOnlyWhereWeightBound(double error, int outputsPerRow) {
    if (outputsPerRow < GraphBuilder.REDUCED_BELOW_OUTPUTS) {
      assertThat(error).as("bfloat16 error relative to the float32 peak").isLessThan(BFLOAT16_TOLERANCE)
          .isGreaterThan(0);
    } else {
      assertThat(error).as("difference with %d outputs per block (float32 weights kept)", outputsPerRow)
          .isZero();
    }
  }

  // ------------------------------------------------------------------ transposed convolutions

  record TransposedCase(int in, int out, int stride, int kernel, int padding, boolean bias, int block) {
    @Override
    public String toString() {
      return "transposed " + in + "->" + out + ", s" + stride + " k" + kernel + " p" + padding
          + (bias ? " bias" : " no bias") + ", block " + block + (block < ConvKernel.DOT_FORM_BELOW ? " (dot)" : " (tiled)");
    }
  }

  static List<TransposedCase> transposedCases() {
    return List.of(
        new TransposedCase(7, 13, 2, 4, 1, true, 1),
        new TransposedCase(7, 13, 2, 4, 1, true, 3),
        new TransposedCase(7, 13, 2, 4, 1, false, 40),
        new TransposedCase(7, 13, 4, 8, 2, true, 6),
        new TransposedCase(7, 13, 4, 8, 2, true, 24),
        new TransposedCase(7, 13, 2, 5, 2, true, 2),
        new TransposedCase(7, 13, 2, 5, 2, true, 40),
        new TransposedCase(6, 5, 2, 5, 0, false, 17),
        new TransposedCase(64, 32, 4, 8, 2, true, 16),
        new TransposedCase(128, 64, 2, 4, 1, true, 4));
  }

  static Stream<Arguments> transposedCasesOnThreads() {
    List<Arguments> out = new ArrayList<>();
    for (TransposedCase c : transposedCases()) {
      out.add(Arguments.of(c, 1));
      out.add(Arguments.of(c, 2));
    }
    return out.stream();
  }

  static ConvWeights transposedWeights(TransposedCase c) {
    Tensor w = Tensor.randn(Device.CPU, c.in(), c.out(), c.kernel()).mul(1.0 / Math.sqrt(c.in()));
    Tensor b = c.bias() ? Tensor.randn(Device.CPU, c.out()) : null;
    return new ConvWeights(w, b);
  }

  static Graph transposedGraph(TransposedCase c, ConvWeights w) {
    return (g, x) -> List.of(g.convTranspose1d("convT", x, w.weight(), w.bias(), c.stride(), c.padding()));
  }

  @ParameterizedTest(name = "{0} on {1} thread(s)")
  @MethodSource("transposedCasesOnThreads")
  void transposedConvolutionEqualsLibtorch(TransposedCase c, int threads) {
    Engine.manualSeed(13);
    ConvWeights w = transposedWeights(c);
    float[][] x = randomInput(c.in(), (12 + 64 / c.block()) * c.block());
    Tensor offline = tensor(x).convTranspose1d(w.weight(), w.bias(), c.stride(), c.padding());

    Streamed streamed = streamOne(transposedGraph(c, w), x, c.block(), threads, Precision.FP32);

    assertThat(streamed.lag()).isEqualTo(c.padding());
    assertThat(relativeError(streamed, offline)).as("max error relative to the peak, lag %d", streamed.lag())
        .isLessThanOrEqualTo(FLOAT32_TOLERANCE);

    Streamed bf16 = streamOne(transposedGraph(c, w), x, c.block(), threads, Precision.BF16);
    // A transposed convolution's phases each compute one output per input sample.
    assertReducedOnlyWhereWeightBound(relativeDifference(streamed, bf16), c.block());
  }

  // ------------------------------------------------------------------ PQMF

  @ParameterizedTest(name = "{0} bands, {1}, {2} channel(s), block {3}, {4} thread(s)")
  @MethodSource("pqmfCases")
  void pqmfAnalysisAndSynthesisEqualLibtorch(int bands, PaddingMode mode, int channels, int block, int threads) {
    Engine.manualSeed(14);
    try (Pqmf pqmf = new Pqmf(bands, 100, mode)) {
      int length = (8 + 2048 / block) * block;
      float[][] x = randomInput(channels, length);
      // Channels as the batch of the offline PQMF, which works on [B, 1, T].
      Tensor audio = tensor(x).reshape(channels, 1, length);
      Tensor offlineBands = pqmf.analyze(audio);
      Tensor offlineAudio = pqmf.synthesize(offlineBands);

      List<Streamed> streamed = stream((g, in) -> {
        Signal analysed = pqmf.lowerAnalysis(g, in);
        return List.of(pqmf.lowerSynthesis(g, analysed), analysed);
      }, x, block, threads, Precision.FP32);

      Streamed streamedBands = streamed.get(1);
      assertThat(streamedBands.samples()).hasNumberOfRows(channels * bands);
      assertThat(relativeError(streamedBands, offlineBands.reshape(1, channels * bands, length / bands)))
          .as("analysis: max error relative to the peak, lag %d", streamedBands.lag())
          .isLessThanOrEqualTo(FLOAT32_TOLERANCE);
      Streamed streamedAudio = streamed.get(0);
      assertThat(relativeError(streamedAudio, offlineAudio.reshape(1, channels, length)))
          .as("synthesis: max error relative to the peak, lag %d", streamedAudio.lag())
          .isLessThanOrEqualTo(FLOAT32_TOLERANCE);
    }
  }

  static Stream<Arguments> pqmfCases() {
    List<Arguments> out = new ArrayList<>();
    for (int threads : new int[] {1, 2}) {
      out.add(Arguments.of(16, PaddingMode.CENTERED, 1, 256, threads));
      out.add(Arguments.of(16, PaddingMode.CAUSAL, 1, 32, threads));
      out.add(Arguments.of(16, PaddingMode.CENTERED, 2, 1024, threads));
      out.add(Arguments.of(4, PaddingMode.CAUSAL, 2, 8, threads));
      out.add(Arguments.of(8, PaddingMode.CENTERED, 1, 64, threads));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2})
  void pqmfSynthesisOfArbitraryBandsEqualsLibtorch(int threads) {
    Engine.manualSeed(15);
    try (Pqmf pqmf = new Pqmf(16, 100, PaddingMode.CENTERED)) {
      float[][] bandRows = randomInput(16, 40 * 4);
      Tensor offline = pqmf.synthesize(tensor(bandRows));
      Streamed streamed = streamOne((g, in) -> List.of(pqmf.lowerSynthesis(g, in)), bandRows, 4, threads,
          Precision.FP32);
      assertThat(relativeError(streamed, offline)).as("max error relative to the peak, lag %d", streamed.lag())
          .isLessThanOrEqualTo(FLOAT32_TOLERANCE);
    }
  }

  // ------------------------------------------------------------------ sample-by-sample steps

  /**
   * A residual block as the models lower it, and two branches of different lags summed: the
   * identity path and the shorter branch must be delayed to meet the longer one.
   */
  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2})
  void leakyReluAndResidualSumsAlignDifferentLags(int threads) {
    Engine.manualSeed(16);
    int channels = 9;
    int block = 24;
    float[][] x = randomInput(channels, 20 * block);
    Tensor w1 = Tensor.randn(Device.CPU, channels, channels, 3).mul(0.3);
    Tensor b1 = Tensor.randn(Device.CPU, channels);
    Tensor w2 = Tensor.randn(Device.CPU, channels, channels, 3).mul(0.3);
    Tensor w3 = Tensor.randn(Device.CPU, channels, channels, 5).mul(0.3);
    Padding p1 = Padding.of(3, 1, PaddingMode.CENTERED);
    Padding p2 = Padding.of(3, 3, PaddingMode.CENTERED);
    Padding p3 = Padding.of(5, 2, PaddingMode.ANTICAUSAL);

    Tensor input = tensor(x);
    Tensor h = input.leakyRelu(0.2).padLast(p1.left(), p1.right()).conv1d(w1, b1, 1, 1, 1)
        .leakyRelu(0.2).padLast(p2.left(), p2.right()).conv1d(w2, null, 1, 3, 1);
    Tensor residual = h.add(input);
    Tensor other = input.padLast(p3.left(), p3.right()).conv1d(w3, null, 1, 2, 1);
    Tensor offline = residual.add(other);

    List<Streamed> streamed = stream((g, in) -> {
      Signal a = g.leakyRelu("act1", in, 0.2f);
      Signal c1 = g.conv1d("conv1", a, w1, b1, 1, 1, 1, p1, true);
      Signal c2 = g.conv1d("conv2", g.leakyRelu("act2", c1, 0.2f), w2, null, 1, 3, 1, p2, true);
      Signal res = g.add("residual", c2, in);
      Signal branch = g.conv1d("conv3", in, w3, null, 1, 2, 1, p3, true);
      Signal sum = g.add("sum", branch, res);
      return List.of(sum, res);
    }, x, block, threads, Precision.FP32);

    assertThat(streamed.get(1).lag()).as("residual lag").isEqualTo(1 + 3);
    assertThat(streamed.get(0).lag()).as("sum lag").isEqualTo(8);
    assertThat(relativeError(streamed.get(1), residual)).as("residual: max error relative to the peak")
        .isLessThanOrEqualTo(FLOAT32_TOLERANCE);
    assertThat(relativeError(streamed.get(0), offline)).as("sum: max error relative to the peak")
        .isLessThanOrEqualTo(FLOAT32_TOLERANCE);
  }
  /**
   * A LeakyReLU that only one convolution reads is computed by that convolution while it gathers
   * its taps (no step of its own), with the same bits as when it is a step of its own (here kept
   * because a second step reads it too).
   */
  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2})
  void leakyReluFusedIntoItsConvolutionGivesTheSameBits(int threads) {
    Engine.manualSeed(23);
    int channels = 12;
    int block = 32;
    float[][] x = randomInput(channels, 12 * block);
    Tensor w = Tensor.randn(Device.CPU, 20, channels, 3).mul(0.3);
    Tensor b = Tensor.randn(Device.CPU, 20);
    Padding p = Padding.of(3, 2, PaddingMode.CENTERED);
    for (int outputs : new int[] {1, 2, 8, 32}) {
      int stride = block / outputs;
      Padding pad = stride == 1 ? p : Padding.of(stride, 1, PaddingMode.CENTERED);
      Tensor weight = stride == 1 ? w : Tensor.randn(Device.CPU, 20, channels, stride).mul(0.3);
      List<String> fusedSteps = new ArrayList<>();
      Streamed fused = streamOne((g, in) -> List.of(
          g.conv1d("conv", g.leakyRelu("act", in, 0.2f), weight, b, stride, stride == 1 ? 2 : 1, 1, pad, true)),
          x, block, threads, Precision.FP32, fusedSteps);
      List<String> separateSteps = new ArrayList<>();
      Streamed separate = streamOne((g, in) -> {
        Signal a = g.leakyRelu("act", in, 0.2f);
        Signal y = g.conv1d("conv", a, weight, b, stride, stride == 1 ? 2 : 1, 1, pad, true);
        g.add("second reader", a, a);
        return List.of(y);
      }, x, block, threads, Precision.FP32, separateSteps);

      assertThat(fusedSteps).as("%d outputs: steps of the fused graph", outputs).hasSize(1)
          .allMatch(step -> step.contains("(leaky input)"));
      assertThat(separateSteps).as("%d outputs: the LeakyReLU is a step when two steps read it", outputs)
          .anyMatch(step -> step.contains("LeakyRelu"));
      for (int c = 0; c < fused.samples().length; c++) {
        assertThat(fused.samples()[c]).as("%d outputs, channel %d", outputs, c).containsExactly(separate.samples()[c]);
      }
    }
  }
}
