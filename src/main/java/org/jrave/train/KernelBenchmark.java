package org.jrave.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jrave.engine.ConvolutionKernel;
import org.jrave.engine.ConvolutionShapes;
import org.jrave.engine.Device;
import org.jrave.engine.Draws;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveFactory;
import org.jrave.model.RaveModel;
import org.jrave.model.config.RaveConfig;
import org.jrave.model.latent.LatentEncoder;
import org.jrave.train.discriminator.Discriminator;
import org.jrave.train.discriminator.Discriminators;

/**
 * Times every distinct 1-D convolution of a configuration's training step (generator at batch B,
 * discriminator on real and fake, 2B) with each {@link ConvolutionKernel}: forward, backward for
 * the weight only (an input that needs no gradient, as a discriminator step's audio), and backward
 * for input and weight. The table is what the per-layer kernel choices in the code are made from.
 */
public final class KernelBenchmark {

  /** One kernel's times on one shape, in milliseconds. */
  public record Timing(ConvolutionShapes.Shape shape, int uses, ConvolutionKernel kernel, double forward,
      double weightBackward, double fullBackward) {}

  private KernelBenchmark() {}

  public static List<Timing> run(RaveConfig config, int batch, int nSignal, PrintStream log) {
    Map<ConvolutionShapes.Shape, Integer> shapes = record(config, batch, nSignal);
    log.printf("%d distinct convolutions; times in ms (best of 2 after a warm-up)%n", shapes.size());
    log.printf("%-58s %4s  %-13s %8s %8s %8s%n", "input * weight", "uses", "kernel", "forward", "bwd w", "bwd x+w");
    List<Timing> out = new ArrayList<>();
    for (Map.Entry<ConvolutionShapes.Shape, Integer> e : shapes.entrySet()) {
      ConvolutionShapes.Shape s = e.getKey();
      for (ConvolutionKernel kernel : ConvolutionKernel.values()) {
        if (!kernel.supports(s.dilation(), s.groups())) {
          continue;
        }
        Timing t = time(s, e.getValue(), kernel);
        out.add(t);
        log.printf("%-58s %4d  %-13s %8.1f %8.1f %8.1f%n", s, t.uses(), kernel, t.forward(), t.weightBackward(),
            t.fullBackward());
      }
    }
    return out;
  }

  /** The convolutions of one generator pass and one discriminator pass, with their counts. */
  private static Map<ConvolutionShapes.Shape, Integer> record(RaveConfig config, int batch, int nSignal) {
    try (RaveModel model = RaveFactory.build(config);
        Discriminator d = Discriminators.build(config);
        NoGrad ignored = NoGrad.enter();
        TensorScope scope = new TensorScope();
        ConvolutionShapes shapes = ConvolutionShapes.record()) {
      Tensor x = Tensor.randn(Device.CPU, batch, config.channels(), nSignal).mul(0.1);
      LatentEncoder.Reparametrized z = model.encoder().reparametrize(model.encoder().forward(model.analyze(x)),
          Draws.GLOBAL);
      Tensor y = model.synthesize(model.decodeMultiband(z.z(), Draws.GLOBAL::uniform));
      Tensor both = Tensor.cat(List.of(x, y.narrow(2, 0, nSignal)), 0);
      for (int s = 0; s < d.scaleCount(); s++) {
        try (TensorScope perScale = new TensorScope()) {
          d.scale(s, both);
        }
      }
      return shapes.counts();
    }
  }

  private static Timing time(ConvolutionShapes.Shape s, int uses, ConvolutionKernel kernel) {
    double forward = Double.MAX_VALUE;
    double weightOnly = Double.MAX_VALUE;
    double full = Double.MAX_VALUE;
    for (int run = 0; run < 3; run++) {
      for (boolean inputGrad : new boolean[] {false, true}) {
        try (TensorScope scope = new TensorScope()) {
          Tensor x = Tensor.randn(Device.CPU, longs(s.input())).requiresGrad(inputGrad);
          Tensor w = Tensor.randn(Device.CPU, longs(s.weight())).mul(0.05).requiresGrad(true);
          Tensor b = s.bias() ? Tensor.zeros(s.weight().getFirst()).requiresGrad(true) : null;
          long t0 = System.nanoTime();
          Tensor y = x.conv1d(w, b, s.stride(), s.padding(), s.dilation(), s.groups(), kernel);
          long t1 = System.nanoTime();
          Tensor g = y.onesLike();
          long t2 = System.nanoTime();
          Tensor.backward(List.of(y), List.of(g));
          long t3 = System.nanoTime();
          if (run > 0) {
            forward = Math.min(forward, (t1 - t0) / 1e6);
            if (inputGrad) {
              full = Math.min(full, (t3 - t2) / 1e6);
            } else {
              weightOnly = Math.min(weightOnly, (t3 - t2) / 1e6);
            }
          }
        }
      }
    }
    return new Timing(s, uses, kernel, forward, weightOnly, full);
  }

  private static long[] longs(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).toArray();
  }
}
