package org.jrave.interop;

import java.util.Map;
import org.jrave.engine.Parameter;
import org.jrave.engine.ScriptModule;
import org.jrave.engine.Tensor;
import org.jrave.model.RaveModel;
import org.jrave.model.config.LatentConfig;
import org.jrave.prior.GaussianQuantizer;
import org.jrave.prior.PriorConfig;
import org.jrave.prior.PriorFile;

/**
 * The prior inside an nn~ export (spec 8.2, 9.4): the method {@code prior(temp)} turns a
 * temperature signal {@code (B, 1, F)} into {@code F} latent frames {@code (B, L, F)} for
 * {@code decode}, one autoregressive step per frame, continuing the sequence from call to call.
 *
 * <p>State, all module buffers of {@link StreamingHelpers.MAX_BATCH} rows (a call of batch B uses
 * the first B): each causal convolution's last {@code (k - 1) * dilation} input frames (so one frame
 * in gives one frame out, exactly as the whole sequence would), the one-hot classes of the last frame
 * ({@code previous_step}, first the class of 0), and the last {@code L - 1} values for the inverse
 * diagonal shift. The first call fills that shift cache with the start frame and {@code L - 2}
 * sampled frames, so frame t of the output is frame t of what {@code PriorSampler} generates.
 *
 * <p>Classes are drawn as {@code argmax(logits + tau * gumbel)}: a draw from
 * {@code softmax(logits / tau)} for tau > 0 and the most likely class at tau = 0, never a division
 * by a temperature that underflowed.
 */
final class PriorScript {
  private PriorScript() {}

  static final String MODULE = "prior_module";

  /** Null when the prior fits the model, else why not (non-VAE model, other model, too many dimensions). */
  static String mismatch(RaveModel model, PriorFile.Loaded prior) {
    if (!(model.config().latent() instanceof LatentConfig.Variational)) {
      return "a prior works on variational (VAE) models only; this model's latent is not variational";
    }
    String facts = prior.mismatch(model);
    if (facts != null) {
      return facts;
    }
    int l = prior.network().config().latentSize();
    if (l > model.config().latentSize()) {
      return "the prior models " + l + " latent dimensions, more than the model's " + model.config().latentSize();
    }
    return null;
  }

  /** Registers the prior's weights, its state buffers and the {@code _prior_started} flag. */
  static void register(ScriptModule m, PriorFile.Loaded prior) {
    PriorConfig c = prior.network().config();
    for (Map.Entry<String, Parameter> e : prior.network().stateEntries().entrySet()) {
      m.addNested(MODULE + "." + e.getKey(), e.getValue().value().detach().contiguous(), false);
    }
    int batch = StreamingHelpers.MAX_BATCH;
    addCache(m, "pre_net", c.channels(), c.kernelSize() - 1);
    for (int i = 0; i < c.layers(); i++) {
      addCache(m, "residuals." + i + ".conv", c.resSize(), (c.kernelSize() - 1) * c.dilation(i));
    }
    int start = new GaussianQuantizer(c.resolution()).classOf(0);
    float[] onehot = new float[batch * c.channels()];
    for (int b = 0; b < batch; b++) {
      for (int d = 0; d < c.latentSize(); d++) {
        onehot[b * c.channels() + d * c.resolution() + start] = 1f;
      }
    }
    m.addNested(MODULE + ".previous_step", Tensor.fromFloats(onehot, batch, c.channels(), 1), false);
    m.addNested(MODULE + ".diag_cache", Tensor.zeros(batch, c.latentSize(), c.latentSize() - 1), false);
    m.addAttribute("_prior_started", false);
  }

  private static void addCache(ScriptModule m, String conv, int channels, int frames) {
    if (frames > 0) {
      m.addNested(MODULE + "." + conv + ".cache", Tensor.zeros(StreamingHelpers.MAX_BATCH, channels, frames), false);
    }
  }

  /** The TorchScript of {@code prior(temp)} and its helpers. */
  static String source(PriorConfig c) {
    int l = c.latentSize();
    int r = c.resolution();
    int start = new GaussianQuantizer(r).classOf(0);
    StringBuilder net = new StringBuilder("def _prior_net(self, x: Tensor) -> Tensor:\n");
    net.append("    x = torch.leaky_relu(").append(conv(c, "pre_net", "x", 1, l, c.kernelSize() > 1)).append(", 0.2)\n");
    int w = c.resSize();
    for (int i = 0; i < c.layers(); i++) {
      String p = "residuals." + i;
      net.append("    h = ").append(conv(c, p + ".conv", "x", c.dilation(i), 1, c.kernelSize() > 1)).append('\n');
      net.append("    g = torch.sigmoid(h[:, :%d]) * torch.tanh(h[:, %d:])\n".formatted(w, w));
      net.append("    x = x + ").append(conv(c, p + ".res", "g", 1, 1, false)).append('\n');
      net.append(i == 0 ? "    skip = " : "    skip = skip + ").append(conv(c, p + ".skip", "g", 1, 1, false)).append('\n');
    }
    net.append("    y = torch.leaky_relu(").append(conv(c, "post_net1", "skip", 1, 1, false)).append(", 0.2)\n");
    net.append("    return ").append(conv(c, "post_net2", "y", 1, l, false)).append("\n\n");
    String state = LayerScriptWriter.ref(MODULE + ".previous_step");
    String diag = LayerScriptWriter.ref(MODULE + ".diag_cache");
    return net + """
        def _prior_push(self, cache: Tensor, x: Tensor) -> Tensor:
            b = x.shape[0]
            n = cache.shape[2]
            joined = torch.cat([cache[:b], x], 2)
            cache[:b].copy_(joined[:, :, joined.shape[2] - n:])
            return joined

        def _prior_values(self, cls: Tensor) -> Tensor:
            c = cls.float()
            u = (c + torch.rand_like(c)) / %2$d.0
            return torch.clamp(1.4142135623730951 * torch.erfinv(2.0 * u - 1.0), -4.0, 4.0)

        def _prior_step(self, b: int, tau: Tensor) -> Tensor:
            logits = self._prior_net(%4$s[:b]).reshape(b, %1$d, %2$d)
            u = torch.clamp(torch.rand([b, %1$d, %2$d], dtype=logits.dtype, device=logits.device), 1e-10, 1.0)
            cls = torch.argmax(logits - tau.reshape(b, 1, 1) * torch.log(-torch.log(u)), 2)
            onehot = torch.zeros([b, %1$d, %2$d], dtype=logits.dtype, device=logits.device).scatter_(2, cls.unsqueeze(2), 1.0)
            %4$s[:b].copy_(onehot.reshape(b, %1$d * %2$d, 1))
            return self._prior_values(cls).unsqueeze(2)

        def prior(self, temp: Tensor) -> Tensor:
            b = temp.shape[0]
            assert b <= %6$d, "the prior keeps the state of at most %6$d streams (batch rows)"
            tau = torch.softplus(torch.mean(temp, [1, 2]), 1.0, 20.0) / 0.6931471805599453
            if not self._prior_started:
                self._prior_started = True
                first = [self._prior_values((torch.zeros([b, %1$d], device=temp.device) + %3$d).long()).unsqueeze(2)]
                for i in range(%1$d - 2):
                    first.append(self._prior_step(b, tau))
                %5$s[:b].copy_(torch.cat(first, 2)[:, :, :%1$d - 1])
            frames: List[Tensor] = []
            for t in range(temp.shape[2]):
                joined = self._prior_push(%5$s, self._prior_step(b, tau))
                frames.append(torch.diagonal(joined, 0, 1, 2).unsqueeze(2))
            return torch.cat(frames, 2)

        """.formatted(l, r, start, state, diag, StreamingHelpers.MAX_BATCH);
  }

  private static String conv(PriorConfig c, String path, String input, int dilation, int groups, boolean cached) {
    String base = MODULE + "." + path;
    String x = cached ? "self._prior_push(" + LayerScriptWriter.ref(base + ".cache") + ", " + input + ")" : input;
    return "torch.conv1d(%s, %s, %s, [1], [0], [%d], %d)".formatted(x, LayerScriptWriter.ref(base + ".weight"),
        LayerScriptWriter.ref(base + ".bias"), dilation, groups);
  }
}
