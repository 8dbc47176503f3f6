using System.CommandLine;
using Occam.Cli.Engine;
using Occam.Cli.Output;
using Occam.Serialization;

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
            if (resumeDirectory is not null)
            {
                // A resumed run follows the plan in its checkpoint: an option given beside --resume would be ignored.
                foreach (var option in command.Options)
                {
                    if (option != resume && option != options.Json && result.GetResult(option) is { Implicit: false })
                    {
                        throw new UsageException($"{option.Name} cannot be combined with --resume: a resumed run continues with the options it started with");
                    }
                }
            }

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
        TrainingPlan plan;
        try
        {
            var info = Occam.Training.Checkpoints.Checkpoint.ReadInfo(output.WorkingPath);
            if (!info.Metadata.TryGetValue(PlanJson.MetadataKey, out var planJson))
            {
                throw new InvalidDataException($"{destination}: the checkpoint does not record the run's options");
            }

            plan = PlanJson.Deserialize(planJson, destination) with { Resume = true };
            try
            {
                TrainingOptions.Check(plan);
            }
            catch (UsageException e)
            {
                throw new InvalidDataException($"{Occam.Training.Checkpoints.Checkpoint.FileName}: the saved options are invalid ({e.Message})", e);
            }
        }
        catch (Exception e) when (e is not RunKeptException)
        {
            throw Kept(e, output);
        }

        return Finish(context, plan, output, json);
    }

    /// <summary>
    /// Says why a resumable run stopped and that it is kept: where, at which checkpoint, and the command that continues it.
    /// </summary>
    private static RunKeptException Kept(Exception cause, RunOutput output)
    {
        string folder = output.WorkingPath;
        string at;
        try
        {
            var info = Occam.Training.Checkpoints.Checkpoint.ReadInfo(folder);
            at = info.Step > 0 ? $" at step {info.Step} of epoch {info.Epoch + 1}" : $" at epoch {info.Epoch}";
        }
        catch (Exception e) when (CommandLine.IsUserError(e))
        {
            // The failure may be the checkpoint itself: the folder is kept all the same, for the user to inspect.
            at = "";
        }

        string resume = $"continue it with 'occam train --resume {output.Destination}'";
        var (code, message) = cause switch
        {
            OperationCanceledException => (ExitCodes.Cancelled, $"interrupted; the run is kept{at} in '{folder}'; {resume}"),
            Occam.Training.TrainingDivergedException => (ExitCodes.Usage,
                $"{cause.Message.TrimEnd('.')}; its records and last good checkpoint{at} are kept in '{folder}' "
                + "(resuming would diverge again: start afresh with a lower --lr, or delete that folder)"),
            // The run's own files are what is wrong: resuming again would fail the same way.
            InvalidDataException => (ExitCodes.Usage,
                $"{cause.Message.TrimEnd('.')}; the run is kept as it was in '{folder}', but cannot be resumed as it stands: repair it, or delete that folder"),
            _ => (CommandLine.Describe(cause).ExitCode, $"{CommandLine.Describe(cause).Message.TrimEnd('.')}; the run is kept{at} in '{folder}'; {resume}"),
        };
        return new RunKeptException(message, code, cause);
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
        string summary;
        IReadOnlyList<Occam.Reports.ReportedRun> runs;
        try
        {
            context.Progress.Run(sink =>
            {
                context.Engine.Train(plan, output.WorkingPath, sink, context.CancellationToken);
                return true;
            });
            runs = RunArtefacts.ReadAndReport(output.WorkingPath);
            if (runs.Count != 1)
            {
                throw new InvalidOperationException($"the trainer wrote {runs.Count} runs instead of one");
            }

            summary = RunArtefacts.SummaryJson(runs[0]);
            output.Complete();
        }
        catch (Exception e) when (output.IsResumable && e is not RunKeptException)
        {
            throw Kept(e, output);
        }

        if (json)
        {
            context.Output.WriteLine(summary);
            return ExitCodes.Success;
        }

        ResultTables.WriteRuns(context.OutputConsole, runs);
        if (output.Destination is not null)
        {
            string model = Path.Combine(output.Destination, Model.FileName);
            string size = File.Exists(model) ? $"; model: {RunArtefacts.FileSize(model)}" : "";
            context.Output.WriteLine($"run written to {output.Destination} (report: {Path.Combine(output.Destination, Occam.Reports.RunReport.ReportFileName)}{size})");
        }

        return ExitCodes.Success;
    }
}
