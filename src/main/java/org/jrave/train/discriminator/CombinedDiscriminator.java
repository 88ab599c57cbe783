package org.jrave.train.discriminator;

import java.util.ArrayList;
import java.util.List;
import org.jrave.engine.Tensor;

/** Several discriminators whose scale lists are concatenated in order (spec 4.4). */
public final class CombinedDiscriminator extends Discriminator {

  private final List<Discriminator> members;

  public CombinedDiscriminator(List<Discriminator> members) {
    this.members = List.copyOf(members);
    for (int i = 0; i < members.size(); i++) {
      addChild("discriminators." + i, members.get(i));
    }
  }

  @Override
  public List<List<Tensor>> features(Tensor audio) {
    List<List<Tensor>> out = new ArrayList<>();
    for (Discriminator d : members) {
      out.addAll(d.features(audio));
    }
    return out;
  }
}
