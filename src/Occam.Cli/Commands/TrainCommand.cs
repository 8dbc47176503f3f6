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
        var resume = new Option<string?>("--resume")
        {
            Description = "Continue an interrupted 'train --out DIR' run from its last checkpoint, with the options it started with",
            HelpName = "DIR",
        };
        var command = new Command("train", "Train a model with Occam Gradient Descent or a baseline; print the selected epoch, or the summary JSON with --json");
        options.AddTo(command);
        command.Add(resume);
        command.SetAction(result =>
        {
            bool json = result.GetValue(options.Json);
            string? resumeDirectory = result.GetValue(resume);
            return resumeDirectory is null
                ? Run(context, options.ToPlan(result), result.GetValue(options.Out), json)
                : Resume(context, resumeDirectory, json);
        });
        return command;
    }

    /// <summary>Continues an interrupted run in its staging directory with the plan stored in its checkpoint.</summary>
    public static int Resume(CliContext context, string destination, bool json)
    {
        using var output = RunOutput.Resume(destination);
        var info = Occam.Training.Checkpoints.Checkpoint.ReadInfo(output.WorkingPath);
        if (!info.Metadata.TryGetValue(PlanJson.MetadataKey, out var planJson))
        {
            throw new InvalidDataException($"{destination}: the checkpoint does not record the run's options");
        }

        var plan = PlanJson.Deserialize(planJson, destination) with { Resume = true };
        return Finish(context, plan, output, json);
    }

    /// <summary>Runs a validated plan: engine into a staging directory, report beside it, then the result on stdout.</summary>
    public static int Run(CliContext context, TrainingPlan plan, string? outDirectory, bool json)
    {
        DataAvailability.Check(plan.Data);
        plan = TaskChoice.Resolve(context, plan);
        using var output = RunOutput.Open(outDirectory);
        return Finish(context, plan, output, json);
    }

    private static int Finish(CliContext context, TrainingPlan plan, RunOutput output, bool json)
    {
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
