package org.jrave.engine;

import org.bytedeco.pytorch.global.torch;

/**
 * libtorch's automatic mixed precision on this thread while open: with {@link Precision#BF16},
 * the operations autocast lists as safe in lower precision (convolutions, transposed
 * convolutions, matrix products) cast their inputs (weights included) to bfloat16 and return
 * bfloat16; everything else runs in the type of its inputs, and operations with a float32 input
 * promote to float32. Parameters stay float32, and their gradients arrive in float32 through the
 * casts. {@link Precision#FP32} is a scope that changes nothing.
 *
 * <p>Close restores the previous state (enabled flag and dtype of the device type), and leaving
 * the outermost scope clears autocast's cache of cast weights, as PyTorch's {@code autocast}
 * does: the cache holds bfloat16 copies of the parameters, which go stale once the optimiser
 * moves them. Run the backward pass outside the scope.
 */
public final class Autocast implements AutoCloseable {

  private static final Autocast NONE = new Autocast(null, false, null);

  private final torch.DeviceType type;
  private final boolean wasEnabled;
  private final torch.ScalarType previousType;

  private Autocast(torch.DeviceType type, boolean wasEnabled, torch.ScalarType previousType) {
    this.type = type;
    this.wasEnabled = wasEnabled;
    this.previousType = previousType;
  }

  /** Mixed precision on {@code device}'s kind of device in {@code precision}; a no-op for fp32. */
  public static Autocast enter(Device device, Precision precision) {
    if (precision == Precision.FP32) {
      return NONE;
    }
    Engine.ensureInitialized();
    torch.DeviceType type = device.isCuda() ? torch.DeviceType.CUDA : torch.DeviceType.CPU;
    boolean was = torch.is_autocast_enabled(type);
    torch.ScalarType previous = torch.get_autocast_dtype(type);
    torch.set_autocast_dtype(type, precision.scalarType());
    torch.set_autocast_enabled(type, true);
    torch.increment_nesting();
    return new Autocast(type, was, previous);
  }

  /**
   * This thread's autocast state (CPU and CUDA), to be re-entered elsewhere: work that runs later
   * on behalf of a forward pass (a recomputation during the backward pass) runs as that pass ran.
   */
  public static Snapshot snapshot() {
    Engine.ensureInitialized();
    return new Snapshot(torch.is_autocast_enabled(torch.DeviceType.CPU), torch.get_autocast_dtype(torch.DeviceType.CPU),
        torch.is_autocast_enabled(torch.DeviceType.CUDA), torch.get_autocast_dtype(torch.DeviceType.CUDA));
  }

  /** A scope whose close throws nothing. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /** An autocast state captured by {@link #snapshot()}. */
  public static final class Snapshot {
    private final boolean cpu;
    private final torch.ScalarType cpuType;
    private final boolean cuda;
    private final torch.ScalarType cudaType;

    private Snapshot(boolean cpu, torch.ScalarType cpuType, boolean cuda, torch.ScalarType cudaType) {
      this.cpu = cpu;
      this.cpuType = cpuType;
      this.cuda = cuda;
      this.cudaType = cudaType;
    }

    /** Whether autocast was off on every device: re-entering changes nothing. */
    public boolean off() {
      return !cpu && !cuda;
    }

    /** Puts this state in force on this thread until the returned scope closes (then restores). */
    public Scope reenter() {
      if (off() && !torch.is_autocast_enabled(torch.DeviceType.CPU) && !torch.is_autocast_enabled(torch.DeviceType.CUDA)) {
        return () -> { };
      }
      Snapshot previous = snapshot();
      apply();
      torch.increment_nesting();
      return () -> {
        if (torch.decrement_nesting() == 0) {
          torch.clear_cache();
        }
        previous.apply();
      };
    }

    private void apply() {
      torch.set_autocast_dtype(torch.DeviceType.CPU, cpuType);
      torch.set_autocast_enabled(torch.DeviceType.CPU, cpu);
      torch.set_autocast_dtype(torch.DeviceType.CUDA, cudaType);
      torch.set_autocast_enabled(torch.DeviceType.CUDA, cuda);
    }
  }

  /** Whether mixed precision is on for {@code device}'s kind of device on this thread. */
  public static boolean isEnabled(Device device) {
    Engine.ensureInitialized();
    return torch.is_autocast_enabled(device.isCuda() ? torch.DeviceType.CUDA : torch.DeviceType.CPU);
  }

  @Override
  public void close() {
    if (type == null) {
      return;
    }
    if (torch.decrement_nesting() == 0) {
      torch.clear_cache();
    }
    torch.set_autocast_enabled(type, wasEnabled);
    torch.set_autocast_dtype(type, previousType);
  }
}
