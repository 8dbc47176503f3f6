return Occam.Cli.CommandLine.Run(args);
