package org.jrave.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code jrave} command line: one subcommand per job. */
@Command(
    name = "jrave",
    mixinStandardHelpOptions = true,
    versionProvider = JraveVersion.class,
    description = "RAVE (Realtime Audio Variational autoEncoder) for the JVM.",
    subcommands = {
      CommandLine.HelpCommand.class,
      PreprocessCommand.class,
      DurationCommand.class,
      TrainCommand.class,
      EncodeCommand.class,
      DecodeCommand.class,
      ForwardCommand.class,
      GenerateCommand.class,
      LiveCommand.class,
      TrainPriorCommand.class,
      SampleCommand.class,
      ImportCommand.class,
      ExportCommand.class,
      InspectCommand.class,
      DemoCommand.class,
      StudioCommand.class,
      BenchCommand.class,
      BenchTrainCommand.class,
      org.jrave.bench.DataBenchCommand.class,
    })
public final class JraveMain implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Builds the command line with every subcommand registered; shared by main and the tests. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new JraveMain());
    cli.setExecutionExceptionHandler(new UserErrorHandler());
    cli.setParameterExceptionHandler(new UsageErrorHandler());
    cli.setExecutionStrategy(parsed -> {
      NumericOptions.check(parsed);
      return new CommandLine.RunLast().execute(parsed);
    });
    return cli;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
