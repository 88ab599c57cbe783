package org.jrave.prior;

import java.util.ArrayList;
import java.util.List;
import org.jrave.engine.Module;
import org.jrave.engine.Tensor;

/**
 * The prior's WaveNet-style network (spec 9.2): one-hot classes {@code [B, L*R, T]} in, class
 * logits for the next frame {@code [B, L*R, T]} out (frame t predicts frame t + 1). A grouped causal
 * input convolution, gated residual layers with dilations cycling 1, 2, 4, 8, summed skips, and a
 * grouped 1x1 output.
 */
public final class PriorNetwork extends Module {

  private final PriorConfig config;
  private final CausalConv pre;
  private final List<Layer> layers = new ArrayList<>();
  private final CausalConv post1;
  private final CausalConv post2;

  /** One gated residual layer: dilated conv to twice the width, sigmoid x tanh, 1x1 to residual and skip. */
  private static final class Layer extends Module {
    final CausalConv conv;
    final CausalConv res;
    final CausalConv skip;
    final int width;

    Layer(PriorConfig c, int dilation) {
      this.width = c.resSize();
      this.conv = addChild("conv", new CausalConv(c.resSize(), 2 * c.resSize(), c.kernelSize(), dilation, 1));
      this.res = addChild("res", new CausalConv(c.resSize(), c.resSize(), 1, 1, 1));
      this.skip = addChild("skip", new CausalConv(c.resSize(), c.skipSize(), 1, 1, 1));
    }
  }

  public PriorNetwork(PriorConfig config) {
    this.config = config;
    int groups = config.latentSize();
    this.pre = addChild("pre_net", new CausalConv(config.channels(), config.resSize(), config.kernelSize(), 1, groups));
    ModuleGroup residuals = addChild("residuals", new ModuleGroup());
    for (int i = 0; i < config.layers(); i++) {
      layers.add(residuals.add(Integer.toString(i), new Layer(config, config.dilation(i))));
    }
    this.post1 = addChild("post_net1", new CausalConv(config.skipSize(), config.skipSize(), 1, 1, 1));
    this.post2 = addChild("post_net2", new CausalConv(config.skipSize(), config.channels(), 1, 1, groups));
  }

  /** Children registered under numeric names. */
  private static final class ModuleGroup extends Module {
    <M extends Module> M add(String name, M m) {
      return addChild(name, m);
    }
  }

  public PriorConfig config() {
    return config;
  }

  public Tensor forward(Tensor x) {
    return forward(x, null);
  }

  /**
   * Evaluation that continues a sequence (spec 9.4 "only frame i when cached convs are on"): each
   * causal convolution keeps its last {@code (k - 1) * dilation} input frames, so feeding frames one
   * at a time gives what {@link #forward} gives on the whole sequence, at a cost per frame that does
   * not grow with the receptive field. Close it to free its caches.
   */
  public final class Stream implements AutoCloseable {
    private final Tensor[] history = new Tensor[layers.size() + 1];

    Stream(int batch) {
      history[0] = zeros(batch, pre);
      for (int i = 0; i < layers.size(); i++) {
        history[i + 1] = zeros(batch, layers.get(i).conv);
      }
    }

    private Tensor zeros(int batch, CausalConv conv) {
      long channels = conv == pre ? config.channels() : config.resSize();
      return Tensor.zeros(device(), batch, channels, conv.history()).retain();
    }

    /** Logits {@code [B, L*R, n]} for the next {@code n} one-hot frames {@code [B, L*R, n]}. */
    public Tensor forward(Tensor frames) {
      return PriorNetwork.this.forward(frames, history);
    }

    @Override
    public void close() {
      for (Tensor t : history) {
        t.close();
      }
    }
  }

  /** A stream of {@code batch} sequences starting after zeros (as {@link #forward}'s padding). */
  public Stream stream(int batch) {
    return new Stream(batch);
  }

  private Tensor forward(Tensor x, Tensor[] history) {
    Tensor res = apply(pre, x, history, 0).leakyRelu(0.2);
    Tensor skip = null;
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      Tensor h = apply(l.conv, res, history, i + 1);
      Tensor a = h.narrow(1, 0, l.width);
      Tensor b = h.narrow(1, l.width, l.width);
      Tensor g = a.sigmoid().mul(b.tanh());
      res = res.add(apply(l.res, g, history, -1));
      Tensor s = apply(l.skip, g, history, -1);
      skip = skip == null ? s : skip.add(s);
    }
    return apply(post2, apply(post1, skip, history, -1).leakyRelu(0.2), history, -1);
  }

  /** The whole-sequence form, or (streaming) the cached form with history slot {@code slot} (-1: none). */
  private static Tensor apply(CausalConv conv, Tensor x, Tensor[] history, int slot) {
    if (history == null) {
      return conv.forward(x);
    }
    return conv.forward(x, slot < 0 ? null : history[slot]);
  }
}
