using System.CommandLine;
using Occam.Cli.Engine;
using Occam.Cli.Output;

namespace Occam.Cli.Commands;

/// <summary><c>occam train</c>: trains one model with one method and writes its run records, model and report.</summary>
internal static class TrainCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var options = new TrainingOptions();
        var command = new Command("train", "Train a model with Occam Gradient Descent or a baseline; print the selected epoch, or the summary JSON with --json");
        options.AddTo(command);
        command.SetAction(result => Run(context, options.ToPlan(result), result.GetValue(options.Out), result.GetValue(options.Json)));
        return command;
    }

    /// <summary>Runs a validated plan: engine into a staging directory, report beside it, then the result on stdout.</summary>
    public static int Run(CliContext context, TrainingPlan plan, string? outDirectory, bool json)
    {
        DataAvailability.Check(plan.Data);
        using var output = RunOutput.Open(outDirectory);
        context.Progress.Run(sink =>
        {
            context.Engine.Train(plan, output.WorkingPath, sink, context.CancellationToken);
            return true;
        });
        var runs = RunArtefacts.ReadAndReport(output.WorkingPath);
        if (runs.Count != 1)
        {
            throw new InvalidOperationException($"the trainer wrote {runs.Count} runs instead of one");
        }

        string summary = RunArtefacts.SummaryJson(runs[0]);
        output.Complete();
        if (json)
        {
            context.Output.WriteLine(summary);
            return ExitCodes.Success;
        }

        ResultTables.WriteRuns(context.OutputConsole, runs);
        if (output.Destination is not null)
        {
            context.Output.WriteLine($"run written to {output.Destination} (report: {Path.Combine(output.Destination, Occam.Reports.RunReport.ReportFileName)})");
        }

        return ExitCodes.Success;
    }
}
