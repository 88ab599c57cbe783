package org.jrave.play;

import static org.assertj.core.api.Assertions.assertThat;

import com.illposed.osc.OSCMessage;
import com.illposed.osc.transport.OSCPortOut;
import java.io.BufferedReader;
import java.io.StringReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jrave.streaming.LatentControl;
import org.junit.jupiter.api.Test;

/** Latent control from the terminal and from real OSC messages over UDP on the loopback. */
class LiveControlTest {

  @Test
  void oscMessagesOverUdpSetBiasAndScale() throws Exception {
    LatentControl control = new LatentControl(16);
    List<String> log = new CopyOnWriteArrayList<>();
    int port;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    OSCPortOut sender = new OSCPortOut(address);
    try (OscControl osc = new OscControl(address, new LatentCommands(control), log::add)) {
      sender.send(new OSCMessage("/jrave/bias", List.of(3, 1.5f)));
      sender.send(new OSCMessage("/jrave/scale/5", List.of(0.25f)));
      sender.send(new OSCMessage("/jrave/bias", List.of(99, 1f)));
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (log.size() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(control.bias(3)).isEqualTo(1.5f);
      assertThat(control.scale(5)).isEqualTo(0.25f);
      assertThat(log).anyMatch(l -> l.contains("ignored") && l.contains("out of range"));
      sender.send(new OSCMessage("/jrave/reset", List.of()));
      while (control.bias(3) != 0f && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(control.bias(3)).isZero();
    } finally {
      sender.close();
    }
  }

  @Test
  void terminalCommandsSetTheControlAndQuit() {
    LatentControl control = new LatentControl(8);
    List<String> out = new CopyOnWriteArrayList<>();
    AtomicBoolean quit = new AtomicBoolean();
    String typed = "bias 1 2\nscale 1 0.5\nbias x 1\nstats\nquit\nbias 2 9\n";
    new TerminalControl(new BufferedReader(new StringReader(typed)), new LatentCommands(control), () -> "STATS",
        out::add, () -> quit.set(true)).run();
    assertThat(control.bias(1)).isEqualTo(2f);
    assertThat(control.scale(1)).isEqualTo(0.5f);
    assertThat(control.bias(2)).isZero();
    assertThat(quit).isTrue();
    assertThat(out).contains("STATS").anyMatch(l -> l.contains("whole number"));
  }
}
