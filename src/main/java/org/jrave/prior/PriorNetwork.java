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
    Tensor res = pre.forward(x).leakyRelu(0.2);
    Tensor skip = null;
    for (Layer l : layers) {
      Tensor h = l.conv.forward(res);
      Tensor a = h.narrow(1, 0, l.width);
      Tensor b = h.narrow(1, l.width, l.width);
      Tensor g = a.sigmoid().mul(b.tanh());
      res = res.add(l.res.forward(g));
      Tensor s = l.skip.forward(g);
      skip = skip == null ? s : skip.add(s);
    }
    return post2.forward(post1.forward(skip).leakyRelu(0.2));
  }
}
