package org.jrave.train.discriminator;

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
  public int scaleCount() {
    return members.stream().mapToInt(Discriminator::scaleCount).sum();
  }

  @Override
  public List<Tensor> scale(int index, Tensor audio) {
    int i = index;
    for (Discriminator d : members) {
      if (i < d.scaleCount()) {
        return d.scale(i, audio);
      }
      i -= d.scaleCount();
    }
    throw new IndexOutOfBoundsException("scale " + index + " of " + scaleCount());
  }
}
