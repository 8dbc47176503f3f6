using System.CommandLine;
using Occam.Cli.Engine;
using Occam.Cli.Output;
using Occam.Pruning;

namespace Occam.Cli.Commands;

/// <summary>
/// <c>occam compare</c>: Occam against dense gradient descent and post-training pruning on the same data and seed,
/// printed as one table (or, with --json, one object holding every run's summary keyed by run name).
/// </summary>
internal static class CompareCommand
{
    private static string OccamVariants => PruningMethods.NameList(PruningMethods.All.Where(m => m.IsOccam));

    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var options = new TrainingOptions();
        options.Method.Description = $"The Occam variant to compare: {OccamVariants}";
        var command = new Command("compare", "Compare Occam with dense gradient descent and post-training pruning (with and without fine-tuning) on the same data and seed");
        options.AddTo(command);
        command.SetAction(result => Run(context, options.ToPlan(result), result.GetValue(options.Out), result.GetValue(options.Json)));
        return command;
    }

    /// <summary>Runs a validated plan's comparison, writes the report, prints the table or the JSON.</summary>
    public static int Run(CliContext context, TrainingPlan plan, string? outDirectory, bool json)
    {
        if (!plan.Method.IsOccam)
        {
            throw new UsageException($"--method '{plan.Method.Name}': compare runs an Occam variant against the baselines (expected {OccamVariants})");
        }

        DataAvailability.Check(plan.Data);
        plan = TaskChoice.Resolve(context, plan);
        using var output = RunOutput.Open(outDirectory);
        context.Progress.Run(sink =>
        {
            context.Engine.Compare(plan, output.WorkingPath, sink, context.CancellationToken);
            return true;
        });
        var runs = RunArtefacts.ReadAndReport(output.WorkingPath);
        var summaries = runs.Select(r => (r.Name, RunArtefacts.SummaryJson(r))).ToArray();
        output.Complete();
        if (json)
        {
            context.Output.WriteLine(JsonOutput.Combine(summaries));
            return ExitCodes.Success;
        }

        ResultTables.WriteRuns(context.OutputConsole, runs);
        if (output.Destination is not null)
        {
            context.Output.WriteLine($"comparison written to {output.Destination} (report: {Path.Combine(output.Destination, Occam.Reports.RunReport.ReportFileName)})");
        }

        return ExitCodes.Success;
    }
}
