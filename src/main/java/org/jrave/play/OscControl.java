package org.jrave.play;

import com.illposed.osc.MessageSelector;
import com.illposed.osc.OSCMessage;
import com.illposed.osc.OSCMessageEvent;
import com.illposed.osc.transport.OSCPortIn;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Latent control over OSC (UDP): {@code /jrave/bias DIM VALUE}, {@code /jrave/scale DIM VALUE},
 * the one-argument forms {@code /jrave/bias/DIM VALUE} and {@code /jrave/scale/DIM VALUE} (for
 * faders that send one float), and {@code /jrave/reset}. Runs on the OSC library's own thread.
 */
public final class OscControl implements AutoCloseable {
  public static final String PREFIX = "/jrave/";

  private final OSCPortIn port;

  /**
   * @param log receives one line per message handled (confirmation or the reason it was refused)
   */
  public OscControl(InetSocketAddress address, LatentCommands commands, Consumer<String> log) throws IOException {
    MessageSelector selector = new MessageSelector() {
      @Override
      public boolean isInfoRequired() {
        return false;
      }

      @Override
      public boolean matches(OSCMessageEvent event) {
        return event.getMessage().getAddress().startsWith(PREFIX);
      }
    };
    this.port = new OSCPortIn(address);
    port.getDispatcher().addListener(selector, event -> log.accept(handle(event.getMessage(), commands)));
    port.setResilient(true);
    port.setDaemonListener(true);
    port.startListening();
  }

  static String handle(OSCMessage message, LatentCommands commands) {
    String[] parts = message.getAddress().substring(PREFIX.length()).split("/");
    List<Object> args = new ArrayList<>();
    for (int i = 1; i < parts.length; i++) {
      args.add(parts[i]);
    }
    args.addAll(message.getArguments());
    try {
      return "osc " + message.getAddress() + ": " + commands.apply(parts[0], args);
    } catch (IllegalArgumentException e) {
      return "osc " + message.getAddress() + " ignored: " + e.getMessage();
    }
  }

  @Override
  public void close() throws IOException {
    port.stopListening();
    port.close();
  }
}
