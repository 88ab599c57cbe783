package org.jrave.interop;

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
 *       vector, as {@code SphericalEncoder.toAngles}/{@code fromAngles} compute them.
 * </ul>
 */
final class LatentScript {
  private LatentScript() {}

  static String source(RaveConfig c) {
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
      case LatentConfig.Discrete d -> throw new UnsupportedOperationException("discrete latents are not exported");
    };
  }
}
