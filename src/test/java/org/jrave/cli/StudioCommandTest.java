package org.jrave.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StudioCommandTest {

  @TempDir Path tmp;

  @Test
  void mistakesEndWithOneLine() throws Exception {
    assertThat(CliRunner.run("studio").err()).contains("give --runs DIR and/or --model MODEL");
    CliRunner missing = CliRunner.run("studio", "--runs", tmp.resolve("nope").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err().strip()).isEqualTo("jrave studio: --runs " + tmp.resolve("nope") + ": no such folder");
    assertThat(CliRunner.run("studio", "--model", tmp.resolve("m.jrave").toString()).err()).contains("does not exist");
    try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      CliRunner busy = CliRunner.run("studio", "--runs", tmp.toString(), "--port", Integer.toString(taken.getLocalPort()));
      assertThat(busy.exitCode()).isEqualTo(2);
      assertThat(busy.err()).contains("cannot start the studio on 127.0.0.1:" + taken.getLocalPort()).doesNotContain("\tat ");
    }
  }

  @Test
  void printsTheAddressAndServesUntilStopped() throws Exception {
    StudioCommand command = new StudioCommand();
    CommandLine cli = new CommandLine(command);
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    AtomicInteger exit = new AtomicInteger(-1);
    Thread t = new Thread(() -> exit.set(cli.execute("--runs", tmp.toString(), "--port", "0")));
    t.start();
    long deadline = System.currentTimeMillis() + 30_000;
    while (!out.toString().contains("Stop with Ctrl-C") && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    String url = out.toString().replaceAll("(?s).*open (http://\\S+).*", "$1");
    assertThat(url).startsWith("http://127.0.0.1:").doesNotContain("token");
    HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(page.body()).contains("<title>jrave studio</title>");
    command.stop.countDown();
    t.join();
    assertThat(exit.get()).isZero();
  }
}
