package org.jrave.engine;

import org.bytedeco.pytorch.global.torch;

/**
 * Where tensors live: the CPU or one CUDA device. Parsed from the command line's {@code --device}
 * values {@code cpu}, {@code cuda} and {@code cuda:N}.
 */
public record Device(Kind kind, int index) {

  public enum Kind {
    CPU,
    CUDA
  }

  public static final Device CPU = new Device(Kind.CPU, -1);

  public Device {
    if (kind == Kind.CPU && index != -1) {
      throw new IllegalArgumentException("the CPU device has no index");
    }
    if (kind == Kind.CUDA && index < 0) {
      throw new IllegalArgumentException("a CUDA device index must be 0 or more");
    }
  }

  public static Device cuda(int index) {
    return new Device(Kind.CUDA, index);
  }

  /** Parses {@code cpu}, {@code cuda} (device 0) or {@code cuda:N}. */
  public static Device parse(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    if (t.equals("cpu")) {
      return CPU;
    }
    if (t.equals("cuda")) {
      return cuda(0);
    }
    if (t.startsWith("cuda:")) {
      try {
        return cuda(Integer.parseInt(t.substring(5)));
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new IllegalArgumentException(
        "unknown device '" + text + "': use cpu, cuda or cuda:N (for example cuda:1)");
  }

  public boolean isCuda() {
    return kind == Kind.CUDA;
  }

  org.bytedeco.pytorch.Device toNative() {
    return isCuda()
        ? new org.bytedeco.pytorch.Device(torch.DeviceType.CUDA, (byte) index)
        : new org.bytedeco.pytorch.Device(torch.DeviceType.CPU);
  }

  @Override
  public String toString() {
    return isCuda() ? "cuda:" + index : "cpu";
  }
}
