package org.jrave.train.discriminator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jrave.model.config.RaveConfig;

/**
 * Builds the discriminator a configuration names: {@code +}-separated members among {@code msd},
 * {@code mpd}, {@code spectral1d} and {@code descript} (e.g. v2's {@code mpd+msd}), at the model's
 * capacity (the reference's discriminators share the CAPACITY macro).
 */
public final class Discriminators {
  private Discriminators() {}

  public static final List<String> NAMES = List.of("msd", "mpd", "spectral1d", "descript");

  public static Discriminator build(RaveConfig config) {
    return build(config.training().discriminator(), config.channels(), config.encoder().capacity());
  }

  public static Discriminator build(String spec, int channels, int capacity) {
    List<Discriminator> members = new ArrayList<>();
    for (String name : spec.toLowerCase(Locale.ROOT).split("\\+")) {
      members.add(switch (name.trim()) {
        case "msd" -> new MultiScaleDiscriminator(3, channels, capacity);
        case "mpd" -> new MultiPeriodDiscriminator(MultiPeriodDiscriminator.PERIODS, channels, capacity);
        case "spectral1d" -> new SpectralDiscriminator1d(SpectralDiscriminator1d.SCALES, channels, capacity);
        case "descript" -> new DescriptDiscriminator(channels);
        default -> throw new IllegalArgumentException(
            "unknown discriminator '" + name + "'; known: " + String.join(", ", NAMES));
      });
    }
    return members.size() == 1 ? members.getFirst() : new CombinedDiscriminator(members);
  }
}
