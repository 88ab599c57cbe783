package org.jrave.engine;

/**
 * A named tensor owned by a {@link Module}: a trainable parameter or a state buffer. The owner keeps
 * the tensor alive (retained) and frees it when the module closes; loading weights copies values
 * into it in place so every reference to the tensor stays valid.
 */
public final class Parameter implements AutoCloseable {

  private final String name;
  private final boolean trainable;
  private Tensor value;

  Parameter(String name, Tensor initial, boolean trainable) {
    this.name = name;
    this.trainable = trainable;
    this.value = initial.retain();
    if (trainable) {
      value.requiresGrad(true);
    }
  }

  public String name() {
    return name;
  }

  public boolean trainable() {
    return trainable;
  }

  public Tensor value() {
    return value;
  }

  public long[] shape() {
    return value.shape();
  }

  /** Copies {@code source} into this parameter (shapes must match), without tracking gradients. */
  public void assign(Tensor source) {
    try (NoGrad ignored = NoGrad.enter()) {
      value.copyInPlace(source.to(value.device()));
    }
  }

  /**
   * Replaces the tensor with one of another shape (buffers whose size depends on use, such as
   * streaming caches). The old tensor is freed.
   */
  public void replace(Tensor replacement) {
    Tensor old = value;
    value = replacement.retain();
    old.close();
  }

  void moveTo(Device device) {
    if (!value.device().equals(device)) {
      Tensor moved;
      try (NoGrad ignored = NoGrad.enter()) {
        moved = value.isFloat() ? value.to(device) : value;
      }
      if (moved != value) {
        replace(trainable ? moved.detach().requiresGrad(true) : moved);
      }
    }
  }

  @Override
  public void close() {
    value.close();
  }
}
