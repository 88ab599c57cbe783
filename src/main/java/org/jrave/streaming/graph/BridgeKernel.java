package org.jrave.streaming.graph;

import java.util.function.UnaryOperator;
import org.jrave.engine.Device;
import org.jrave.engine.Module;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;

/**
 * A sample-by-sample layer the block engine has no kernel for (AdaIN, SampleNorm: rare
 * configurations), run through its offline form on tensors: the block is copied into a tensor, the
 * layer maps it, and the result is copied back. Correct for any such layer; costs a few small
 * native allocations per block, so the common layers all have kernels.
 */
final class BridgeKernel implements Kernel {

  private final String name;
  private final Module source;
  private final Signal in;
  private final Signal out;
  private final UnaryOperator<Tensor> layer;
  private final Device device;
  /** The block's rows laid out for a tensor, and the layer's result, reused every block. */
  private final float[] staged;
  private final float[] result;

  BridgeKernel(String name, Module source, Signal in, Signal out, UnaryOperator<Tensor> layer, Device device) {
    this.name = name;
    this.source = source;
    this.in = in;
    this.out = out;
    this.layer = layer;
    this.device = device;
    this.staged = new float[in.channels() * in.block()];
    this.result = new float[out.channels() * out.block()];
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void accept(KernelVisitor visitor) {
    visitor.bridge(name, source, in, out);
  }

  @Override
  public void run(Workers workers) {
    try (TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      float[] x = in.data();
      for (int c = 0; c < in.channels(); c++) {
        System.arraycopy(x, in.blockStart(c), staged, c * in.block(), in.block());
      }
      Tensor block = Tensor.fromFloats(staged, 1, in.channels(), in.block()).to(device);
      Tensor y = layer.apply(block);
      if (y.size(1) != out.channels() || y.size(2) != out.block()) {
        throw new IllegalStateException(name + " gave " + java.util.Arrays.toString(y.shape()) + " for " + out);
      }
      y.copyInto(result, 0);
      for (int c = 0; c < out.channels(); c++) {
        System.arraycopy(result, c * out.block(), out.data(), out.blockStart(c), out.block());
      }
    }
  }

}
