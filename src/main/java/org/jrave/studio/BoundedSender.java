package org.jrave.studio;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Sends a live stream's messages to one browser without ever waiting for it: at most a few messages
 * are in flight; beyond that a block is dropped (and counted) instead of queued, so a slow or stalled
 * client costs only its own audio, never the engine's pace or other clients' streams.
 */
final class BoundedSender {

  private final Session session;
  private final int maxInFlight;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();

  BoundedSender(Session session, int maxInFlight) {
    this.session = session;
    this.maxInFlight = maxInFlight;
  }

  /** Queues a binary message unless the client is too far behind; returns whether it was queued. */
  boolean sendBinary(ByteBuffer message) {
    if (!session.isOpen() || inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      dropped.incrementAndGet();
      return false;
    }
    session.sendBinary(message, Callback.from(inFlight::decrementAndGet, failure -> inFlight.decrementAndGet()));
    return true;
  }

  /** Text (status) messages are small and rare: sent unless the client is stalled. */
  void sendText(String message) {
    if (session.isOpen() && inFlight.get() <= maxInFlight) {
      inFlight.incrementAndGet();
      session.sendText(message, Callback.from(inFlight::decrementAndGet, failure -> inFlight.decrementAndGet()));
    }
  }

  long dropped() {
    return dropped.get();
  }
}
