package org.jrave.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.TensorBase;
import org.bytedeco.pytorch.TensorTensorHook;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.VoidTensorHook;
import org.bytedeco.pytorch.global.torch;

/**
 * Activation checkpointing: while a recomputation is open on this thread, {@link #apply} runs a
 * function without keeping the activations autograd would save inside it, and recomputes them
 * when the backward pass reaches its output. Memory then holds the function's input and output
 * instead of everything in between, for one more forward pass of the function.
 *
 * <p>How, without custom autograd functions (which the Java binding does not offer): the result
 * is computed without gradient tracking, then joined to the graph as {@code y + 0 * sum(x)} (the
 * same values), with two tensor hooks. The first, on the output, catches its incoming gradient;
 * the second, on a view of the input, runs the function again with gradient tracking, backpropagates
 * the caught gradient through it (parameters accumulate their gradients) and hands the input's
 * gradient on in place of the zero the graph computed.
 *
 * <p>The binding allows only a few live hook objects, so one pair serves every call, and calls are
 * matched to hook firings by order: the backward pass reaches outputs in the reverse order of
 * their creation, which holds for the chains this is used on (residual units); a firing whose
 * gradient does not have the expected shape is reported as an error.
 *
 * <pre>{@code
 * try (Recomputation r = Recomputation.open()) {
 *   Tensor loss = model.forward(x)...;  // Residual branches call Recomputation.applyIfOpen
 *   loss.backward();                     // inside the scope: the hooks run during backward
 *   r.rethrow();
 * }
 * }</pre>
 */
public final class Recomputation implements AutoCloseable {

  private static final ThreadScopes<Recomputation> OPEN = new ThreadScopes<>();

  /** One checkpointed call awaiting the backward pass. */
  private static final class Pending {
    final UnaryOperator<Tensor> function;
    final org.bytedeco.pytorch.Tensor input;
    final long[] outputShape;
    final Autocast.Snapshot autocast; // recomputed in the forward pass's mixed precision, if any
    org.bytedeco.pytorch.Tensor outputGradient;

    Pending(UnaryOperator<Tensor> function, org.bytedeco.pytorch.Tensor input, long[] outputShape,
        Autocast.Snapshot autocast) {
      this.function = function;
      this.input = input;
      this.outputShape = outputShape;
      this.autocast = autocast;
    }
  }

  private final Recomputation enclosing;
  private final Deque<Pending> pending = new ArrayDeque<>();
  private final Deque<Pending> caught = new ArrayDeque<>();
  private final List<org.bytedeco.pytorch.Tensor> handedOn = new ArrayList<>();
  private final CatchGradient catchHook = new CatchGradient();
  private final Recompute recomputeHook = new Recompute();
  private RuntimeException failure;

  private Recomputation() {
    Engine.ensureInitialized();
    for (org.bytedeco.javacpp.Pointer p : new org.bytedeco.javacpp.Pointer[] {catchHook, recomputeHook}) {
      PointerScope inner = PointerScope.getInnerScope();
      if (inner != null) {
        p.retainReference();
        inner.detach(p);
      }
    }
    this.enclosing = OPEN.enter(this);
  }

  public static Recomputation open() {
    return new Recomputation();
  }

  /** {@code function(x)}, checkpointed when a recomputation is open on this thread and autograd records. */
  public static Tensor applyIfOpen(UnaryOperator<Tensor> function, Tensor x) {
    Recomputation r = OPEN.current();
    if (r == null || !GradMode.is_enabled()) {
      return function.apply(x);
    }
    return r.apply(function, x);
  }

  private Tensor apply(UnaryOperator<Tensor> function, Tensor x) {
    Tensor y;
    try (NoGrad ignored = NoGrad.enter()) {
      y = function.apply(x);
      if (y.isView()) {
        y = y.copy();
      }
    }
    org.bytedeco.pytorch.Tensor input = new org.bytedeco.pytorch.Tensor(x.handle());
    input.retainReference();
    // The anchor is the input's own graph when it has one, else a stand-in leaf.
    org.bytedeco.pytorch.Tensor anchor;
    if (x.requiresGrad()) {
      anchor = x.handle().view_as(x.handle());
    } else {
      anchor = torch.zeros(1);
      anchor.set_requires_grad(true);
    }
    Tensor zero = new Tensor(anchor.sum().mul(new org.bytedeco.pytorch.Scalar(0.0)));
    y.handle().add_(zero.handle());
    pending.push(new Pending(function, input, y.shape(), Autocast.snapshot()));
    y.handle().register_hook(catchHook);
    anchor.register_hook(recomputeHook);
    return y;
  }

  /** Throws what went wrong inside a hook during the backward pass, if anything did. */
  public void rethrow() {
    if (failure != null) {
      RuntimeException f = failure;
      failure = null;
      throw f;
    }
  }

  private final class CatchGradient extends VoidTensorHook {
    @Override
    public void call(TensorBase gradient) {
      try {
        Pending p = pending.pop();
        long[] shape = new long[(int) gradient.dim()];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = gradient.size(i);
        }
        if (!java.util.Arrays.equals(shape, p.outputShape)) {
          throw new IllegalStateException("recomputation out of order: gradient of shape "
              + java.util.Arrays.toString(shape) + " for an output of shape " + java.util.Arrays.toString(p.outputShape));
        }
        p.outputGradient = new org.bytedeco.pytorch.Tensor(gradient);
        p.outputGradient.retainReference();
        caught.push(p);
      } catch (RuntimeException e) {
        fail(e);
      }
    }
  }

  private final class Recompute extends TensorTensorHook {
    @Override
    public TensorBase call(TensorBase ignoredZero) {
      try {
        Pending p = caught.pop();
        org.bytedeco.pytorch.Tensor inputGradient;
        boolean wasEnabled = GradMode.is_enabled();
        GradMode.set_enabled(true);
        try (TensorScope scope = new TensorScope()) {
          Tensor leaf = new Tensor(p.input.detach()).requiresGrad(p.input.requires_grad());
          Tensor y;
          try (Autocast.Scope mixed = p.autocast.reenter()) {
            y = p.function.apply(leaf);
          }
          torch.backward(new TensorVector(y.handle()), new TensorVector(p.outputGradient), new BoolOptional(),
              false, new TensorVector());
          Tensor g = leaf.grad();
          inputGradient = g == null ? new org.bytedeco.pytorch.Tensor() : new org.bytedeco.pytorch.Tensor(g.handle());
          inputGradient.retainReference();
        } finally {
          GradMode.set_enabled(wasEnabled);
          p.outputGradient.releaseReference();
          p.input.releaseReference();
        }
        handedOn.add(inputGradient); // alive until the binding has copied it out
        return inputGradient;
      } catch (RuntimeException e) {
        fail(e);
        return new org.bytedeco.pytorch.Tensor();
      }
    }
  }

  private void fail(RuntimeException e) {
    if (failure == null) {
      failure = e;
    }
  }

  @Override
  public void close() {
    OPEN.leave(enclosing);
    for (Pending p : pending) {
      p.input.releaseReference();
    }
    for (Pending p : caught) {
      p.input.releaseReference();
      p.outputGradient.releaseReference();
    }
    pending.clear();
    caught.clear();
    handedOn.forEach(org.bytedeco.pytorch.Tensor::releaseReference);
    handedOn.clear();
    catchHook.releaseReference();
    recomputeHook.releaseReference();
  }
}
