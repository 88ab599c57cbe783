package org.jrave.interop;

import org.jrave.model.RaveModel;
import org.jrave.model.config.LatentConfig;
import org.jrave.model.config.RaveConfig;

/**
 * TorchScript of an export's latent steps (spec 8.2): {@code _latent_in(raw)} from the encoder's
 * raw output to the exposed latent, {@code _latent_out(z)} from the exposed latent to the decoder's
 * input.
 *
 * <ul>
 *   <li>variational: a sampled latent, centred and rotated by the PCA, truncated to
 *       {@code latent_size}; back: missing dimensions filled with N(0, 1), rotated back, mean added;
 *   <li>Wasserstein: the latent itself; back: N(0, 1) noise-augmentation channels appended;
 *   <li>spherical: hyperspherical angles in [-1, 1] of the (unnormalised) latent; back: the unit
 *       vector, as {@code SphericalEncoder.toAngles}/{@code fromAngles} compute them;
 *   <li>discrete: the code indices of the residual quantisers (see {@link #discrete}).
 * </ul>
 */
final class LatentScript {
  private LatentScript() {}

  static String source(RaveModel model) {
    RaveConfig c = model.config();
    int z = c.latentSize();
    return switch (c.latent()) {
      case LatentConfig.Variational v -> """
          def _latent_in(self, raw):
              mean = raw[:, :%1$d]
              std = torch.softplus(raw[:, %1$d:], 1.0, 20.0) + 1e-4
              z = torch.randn(mean.size(), dtype=mean.dtype, device=mean.device) * std + mean
              z = torch.matmul(self.latent_pca, z - self.latent_mean.unsqueeze(-1))
              return z[:, :self.latent_size]

          def _latent_out(self, z):
              batch, frames = z.shape[0], z.shape[2]
              missing = self.full_latent_size - z.shape[1]
              if missing > 0:
                  z = torch.cat([z, torch.randn([batch, missing, frames], dtype=z.dtype, device=z.device)], 1)
              return torch.matmul(self.latent_pca.t(), z) + self.latent_mean.unsqueeze(-1)

          """.formatted(z);
      case LatentConfig.Wasserstein w -> """
          def _latent_in(self, raw):
              return raw

          def _latent_out(self, z):
              return torch.cat([z, torch.randn([z.shape[0], %1$d, z.shape[2]], dtype=z.dtype, device=z.device)], 1)

          """.formatted(w.noiseAugmentation());
      case LatentConfig.Spherical s -> """
          def _latent_in(self, x):
              dims = x.shape[1]
              tail = torch.flip(torch.sqrt(torch.cumsum(torch.flip(x * x, [1]), 1)), [1])
              phi = torch.acos(torch.clamp(x[:, :dims - 1] / tail[:, :dims - 1], -1.0, 1.0))
              polar = phi[:, :dims - 2] / 3.141592653589793
              last = phi[:, dims - 2:dims - 1]
              full = torch.where(x[:, dims - 1:] < 0.0, 6.283185307179586 - last, last)
              return (torch.cat([polar, full / 6.283185307179586], 1) - 0.5) * 2.0

          def _latent_out(self, angles):
              n = angles.shape[1]
              a = torch.remainder(angles / 2.0 + 0.5, 1.0)
              theta = torch.cat([a[:, :n - 1] * 3.141592653589793, a[:, n - 1:] * 6.283185307179586], 1)
              products = torch.cumprod(torch.sin(theta), 1)
              before = torch.cat([torch.ones_like(theta[:, :1]), products[:, :n - 1]], 1)
              return torch.cat([torch.cos(theta) * before, products[:, n - 1:]], 1)

          """;
      case LatentConfig.Discrete d -> discrete(d);
    };
  }

  /**
   * Residual vector quantisation: {@code _latent_in} gives the code index of every quantiser as a
   * float channel (nearest code by squared Euclidean distance, as jrave's codebooks pick it);
   * {@code _latent_out} clamps and rounds the indices, sums the codes and appends the
   * noise-augmentation channels.
   */
  private static String discrete(LatentConfig.Discrete d) {
    StringBuilder src = new StringBuilder("""
        def _nearest(self, x, codes):
            v = x.permute(0, 2, 1)
            distances = torch.sum(v * v, 2, True) - 2.0 * torch.matmul(v, codes.t()) \
                + torch.sum(codes * codes, 1).reshape(1, 1, -1)
            return torch.argmin(distances, 2)

        def _lookup(self, codes, index):
            rows = torch.index_select(codes, 0, index.reshape(-1))
            return rows.reshape(index.shape[0], index.shape[1], codes.shape[1]).permute(0, 2, 1)

        def _latent_in(self, raw):
            residual = raw
            indices: List[Tensor] = []
        """);
    for (int i = 0; i < d.numQuantizers(); i++) {
      String codes = codes(i);
      src.append("    index = self._nearest(residual, ").append(codes).append(")\n");
      src.append("    residual = residual - self._lookup(").append(codes).append(", index)\n");
      src.append("    indices.append(index)\n");
    }
    src.append("    return torch.stack(indices, 1).to(raw.dtype)\n\n");
    src.append("def _latent_out(self, z):\n");
    src.append("    index = torch.round(torch.clamp(z, 0.0, %d.0)).long()\n".formatted(d.codebookSize() - 1));
    for (int i = 0; i < d.numQuantizers(); i++) {
      src.append(i == 0 ? "    latent = " : "    latent = latent + ")
          .append("self._lookup(").append(codes(i)).append(", index[:, ").append(i).append("])\n");
    }
    if (d.noiseAugmentation() > 0) {
      src.append("    latent = torch.cat([latent, torch.randn([z.shape[0], %d, z.shape[2]], dtype=z.dtype, device=z.device)], 1)\n"
          .formatted(d.noiseAugmentation()));
    }
    return src.append("    return latent\n\n").toString();
  }

  private static String codes(int quantizer) {
    return LayerScriptWriter.ref("encoder.rvq.layers." + quantizer + "._codebook.embed");
  }
}
