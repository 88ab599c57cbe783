package org.jrave.engine;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.pytorch.global.torch;

/**
 * Process-wide set-up of the native engine (libtorch through JavaCPP).
 *
 * <p>Three things must happen before the first tensor is made, in this order: the bundled natives
 * are extracted ({@code Loader.cacheResources}) so the dynamic linker cannot pick a system
 * libtorch; OpenBLAS is pinned to one thread (it would otherwise fight torch's own pool); torch's
 * intra-op thread count is set explicitly. The C allocator is also told to keep freed memory
 * ({@link NativeHeap}). {@link #initialize(int)} does all three once; later
 * calls only change the thread count.
 */
public final class Engine {

  /** Default intra-op thread count: every core, as the reference benchmarks use. */
  public static final int DEFAULT_THREADS = Runtime.getRuntime().availableProcessors();

  private Engine() {}

  private static final class NativeLibraries {
    static {
      try {
        String platform = Loader.getPlatform();
        Loader.cacheResources("/org/bytedeco/openblas/" + platform + "/");
        Loader.cacheResources("/org/bytedeco/pytorch/" + platform + "/");
      } catch (java.io.IOException e) {
        throw new IllegalStateException("could not extract the bundled libtorch natives: " + e, e);
      }
      // Before the first tensor: libtorch's memory then stays in the process between passes.
      NativeHeap.retainFreedMemory();
      Loader.load(openblas.class);
      openblas.blas_set_num_threads(1);
      Loader.load(torch.class);
      // NNPACK cannot initialise on many server CPUs and then logs a warning per convolution;
      // the default kernels are used either way.
      torch.globalContext().setUserEnabledNNPACK(false);
      // Flush denormals to zero (FTZ/DAZ), as real-time audio code does: signals decaying towards
      // silence otherwise hit the CPU's slow path (10x slower convolutions measured). Set before
      // the first parallel region so torch's worker threads inherit it.
      org.bytedeco.pytorch.Context.setFlushDenormal(true);
    }

    static void ensureLoaded() {
      // Class initialisation above runs exactly once, thread-safely.
    }
  }

  /** Loads the natives (once) and sets torch's intra-op thread count. */
  public static void initialize(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
    }
    NativeLibraries.ensureLoaded();
    if (torch.get_num_threads() != threads) {
      torch.set_num_threads(threads);
    }
  }

  /** Loads the natives with the default thread count if nothing was configured yet. */
  public static void ensureInitialized() {
    NativeLibraries.ensureLoaded();
  }

  public static int threads() {
    NativeLibraries.ensureLoaded();
    return torch.get_num_threads();
  }

  /** Seeds torch's global generator (used by sampling, noise and initialisation). */
  public static void manualSeed(long seed) {
    NativeLibraries.ensureLoaded();
    torch.manual_seed(seed);
  }

  /**
   * Asks oneDNN for its deterministic mode (its multithreaded convolution backward otherwise sums
   * partial results in a varying order). libtorch's global "deterministic algorithms" switch is not
   * used: on CPU it adds nothing here, and it fills uninitialised memory with NaN, which turned some
   * of libtorch's own non-oneDNN convolution paths into NaN outputs.
   */
  public static void setDeterministic(boolean on) {
    NativeLibraries.ensureLoaded();
    torch.globalContext().setDeterministicMkldnn(on);
  }

  /**
   * Switches oneDNN (mkldnn) convolutions on or off. Off, libtorch uses its own convolution kernels:
   * slower, but reproducible with several threads where oneDNN's 2-D convolution backward is not
   * even in its deterministic mode (measured on the discriminators).
   */
  public static void setMkldnn(boolean on) {
    NativeLibraries.ensureLoaded();
    if (torch.globalContext().userEnabledMkldnn() != on) {
      torch.globalContext().setUserEnabledMkldnn(on);
    }
  }

  /** Whether this build of the natives can see a CUDA device. */
  public static boolean cudaAvailable() {
    NativeLibraries.ensureLoaded();
    return torch.cuda_is_available();
  }
}
