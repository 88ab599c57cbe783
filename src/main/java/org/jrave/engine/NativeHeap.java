package org.jrave.engine;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.util.Optional;

/**
 * Tunes glibc's allocator so that freed tensor memory stays in the process for the next tensor.
 *
 * <p>libtorch allocates every tensor with {@code posix_memalign}. By default glibc gives large
 * freed blocks back to the kernel: it unmaps whole 64 MB heaps of a thread arena as soon as they
 * are empty, trims their free tops, and serves blocks above a moving threshold with fresh
 * {@code mmap}s. A model then touches new pages at every pass; measured on v2 encode+decode of
 * 10 s of audio: 7,000-59,000 page faults per pass (up to 230 MB, at about 8 us per fault in
 * these virtual machines: up to 0.4 s added to a 0.3 s pass), 1-7 once the settings below are
 * in force. The cost is that the process keeps its peak heap, as PyTorch's caching allocators do.
 *
 * <p>Only glibc has {@code mallopt}; elsewhere this does nothing. The call needs native access
 * ({@code --enable-native-access=ALL-UNNAMED}, which the launcher and the tests pass).
 */
final class NativeHeap {

  /** glibc's mallopt parameters (malloc.h). */
  private static final int M_TRIM_THRESHOLD = -1;
  private static final int M_TOP_PAD = -2;
  private static final int M_MMAP_THRESHOLD = -3;

  /** glibc's largest mmap threshold on 64-bit (half its 64 MB arena heap). */
  private static final int MMAP_THRESHOLD = 32 << 20;
  /** At least a whole arena heap: glibc keeps an empty heap when the pad would not fit in the rest. */
  private static final int TOP_PAD = 64 << 20;
  private static final int TRIM_THRESHOLD = 1 << 30;

  private NativeHeap() {}

  /** Applies the settings once per process; returns whether the allocator accepted all of them. */
  static boolean retainFreedMemory() {
    if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
      return false;
    }
    try {
      MethodHandle mallopt = mallopt();
      if (mallopt == null) {
        return false; // not glibc (musl has no mallopt): its allocator's defaults stay
      }
      // mallopt returns 1 on success; fixing any of the three also stops glibc's moving threshold.
      return (int) mallopt.invokeExact(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
          & (int) mallopt.invokeExact(M_TOP_PAD, TOP_PAD) == 1
          & (int) mallopt.invokeExact(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1;
    } catch (Throwable e) {
      return false; // a runtime without the foreign-function API: the defaults stay
    }
  }

  /**
   * {@code int mallopt(int, int)} through the foreign-function API, by reflection: the API is final
   * from Java 22 on, while this code compiles at Java 21, where it is a preview.
   */
  private static MethodHandle mallopt() throws ReflectiveOperationException {
    Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
    Object linker = linkerType.getMethod("nativeLinker").invoke(null);
    Object libc = linkerType.getMethod("defaultLookup").invoke(linker);
    Optional<?> symbol = (Optional<?>) Class.forName("java.lang.foreign.SymbolLookup")
        .getMethod("find", String.class).invoke(libc, "mallopt");
    if (symbol.isEmpty()) {
      return null;
    }
    Class<?> layoutType = Class.forName("java.lang.foreign.MemoryLayout");
    Object jint = Class.forName("java.lang.foreign.ValueLayout").getField("JAVA_INT").get(null);
    Object parameters = Array.newInstance(layoutType, 2);
    Array.set(parameters, 0, jint);
    Array.set(parameters, 1, jint);
    Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");
    Object descriptor = descriptorType.getMethod("of", layoutType, parameters.getClass()).invoke(null, jint, parameters);
    Class<?> optionType = Class.forName("java.lang.foreign.Linker$Option");
    return (MethodHandle) linkerType
        .getMethod("downcallHandle", Class.forName("java.lang.foreign.MemorySegment"), descriptorType, optionType.arrayType())
        .invoke(linker, symbol.get(), descriptor, Array.newInstance(optionType, 0));
  }
}
