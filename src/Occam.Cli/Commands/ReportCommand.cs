using System.CommandLine;
using Occam.Cli.Output;
using Occam.Reports;

namespace Occam.Cli.Commands;

/// <summary><c>occam report DIR</c>: Markdown with PNG plots for a run, or for every run of a comparison on the same axes.</summary>
internal static class ReportCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var directory = new Argument<string>("DIR") { Description = "A run directory (summary.json, epochs.jsonl), a directory of run subdirectories, or a comparison over seeds (seedS subdirectories)" };
        var output = new Option<string?>("--out") { Description = "Where to write report.md and the plots [default: DIR]", HelpName = "DIR" };
        var command = new Command("report", "Write report.md with plots of held-out and test loss, density and loss against training FLOPs") { directory, output };
        command.SetAction(result => Run(context, result.GetRequiredValue(directory), result.GetValue(output)));
        return command;
    }

    /// <summary>
    /// Reads the runs, writes the report, prints the selected-epoch table and where the report is; for a comparison over
    /// seeds, each seed's report in its folder and the report over the seeds, with the tables <c>compare --seeds</c> prints.
    /// </summary>
    public static int Run(CliContext context, string directory, string? outputDirectory)
    {
        if (!Directory.Exists(directory))
        {
            throw new UsageException(File.Exists(directory) ? $"'{directory}' is a file, not a run directory" : $"run directory '{directory}' does not exist");
        }

        if (outputDirectory is not null && File.Exists(outputDirectory))
        {
            throw new UsageException($"--out '{outputDirectory}' is a file, not a directory");
        }

        string target = outputDirectory ?? directory;
        if (SeedRuns.ReadAll(directory) is { Count: > 0 } seeds)
        {
            foreach (var seed in seeds)
            {
                RunReport.Write(seed.Runs, Path.Combine(target, SeedRuns.Folder(seed.Seed)));
            }

            var methods = RunReport.WriteOverSeeds(seeds, target);
            ResultTables.WriteSeeds(context.OutputConsole, seeds, methods);
            context.Output.WriteLine($"report written to {Path.Combine(target, RunReport.ReportFileName)}");
            return ExitCodes.Success;
        }

        var runs = ReportedRun.ReadAll(directory);
        string report = RunReport.Write(runs, target);
        ResultTables.WriteRuns(context.OutputConsole, runs);
        context.Output.WriteLine($"report written to {report}");
        return ExitCodes.Success;
    }
}
