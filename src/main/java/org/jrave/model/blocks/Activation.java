package org.jrave.model.blocks;

/** The activation functions RAVE's blocks can be configured with. */
public enum Activation {
  LEAKY_RELU,
  SNAKE;

  public Layer create(int channels) {
    return switch (this) {
      case LEAKY_RELU -> new LeakyRelu();
      case SNAKE -> new Snake(channels);
    };
  }
}
