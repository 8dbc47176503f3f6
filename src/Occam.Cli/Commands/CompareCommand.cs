using System.CommandLine;
using Occam.Cli.Engine;
using Occam.Cli.Output;
using Occam.Pruning;
using Occam.Reports;

namespace Occam.Cli.Commands;

/// <summary>
/// <c>occam compare</c>: Occam against dense gradient descent and post-training pruning on the same data and seed,
/// printed as one table (or, with --json, one object holding every run's summary keyed by run name). With
/// <c>--seeds</c> listing several seeds, the comparison runs once per seed into its own subfolder of --out, and the table
/// and report give each method's mean ± standard deviation over the seeds and every seed's runs (--json: one summary
/// per line, per seed and method).
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
        var seeds = new Option<string?>("--seeds")
        {
            Description = "Run the comparison once per seed (overrides --seed), each seed's runs in the subfolder seedS of --out, " +
                "and report each method's mean ± standard deviation over the seeds; --json then prints one summary per line, per seed and method",
            HelpName = "S,S,...",
        };
        command.Add(seeds);
        command.SetAction(result => Run(context, options.ToPlan(result), result.GetValue(options.Out), result.GetValue(options.Json),
            Validate.Seeds(result.GetValue(seeds))));
        return command;
    }

    /// <summary>
    /// Runs a validated plan's comparison, writes the report, prints the table or the JSON. Several
    /// <paramref name="seeds"/> run it once per seed; a single one replaces the plan's seed; null keeps it.
    /// </summary>
    public static int Run(CliContext context, TrainingPlan plan, string? outDirectory, bool json, IReadOnlyList<int>? seeds = null)
    {
        if (!plan.Method.IsOccam)
        {
            throw new UsageException($"--method '{plan.Method.Name}': compare runs an Occam variant against the baselines (expected {OccamVariants})");
        }

        DataAvailability.Check(plan.Data);
        plan = TaskChoice.Resolve(context, plan);
        if (seeds is { Count: > 1 })
        {
            return RunSeeds(context, plan, outDirectory, json, seeds);
        }

        if (seeds is [int seed])
        {
            plan = WithSeed(plan, seed);
        }

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
        WriteDestination(context, output);
        return ExitCodes.Success;
    }

    /// <summary>The comparison once per seed, each into its <see cref="SeedRuns.Folder"/>, reported over the seeds.</summary>
    private static int RunSeeds(CliContext context, TrainingPlan plan, string? outDirectory, bool json, IReadOnlyList<int> seeds)
    {
        using var output = RunOutput.Open(outDirectory);
        string SeedDirectory(int seed) => Path.Combine(output.WorkingPath, SeedRuns.Folder(seed));
        context.Progress.Run(sink =>
        {
            foreach (int seed in seeds)
            {
                Directory.CreateDirectory(SeedDirectory(seed));
                context.Engine.Compare(WithSeed(plan, seed), SeedDirectory(seed), new SeedProgress(sink, seed), context.CancellationToken);
            }

            return true;
        });
        SeedRuns[] perSeed = [.. seeds.Select(seed => new SeedRuns(seed, RunArtefacts.ReadAndReport(SeedDirectory(seed))))];
        var methods = RunReport.WriteOverSeeds(perSeed, output.WorkingPath);
        output.Complete();
        if (json)
        {
            foreach (var run in perSeed.SelectMany(s => s.Runs))
            {
                context.Output.WriteLine(RunArtefacts.SummaryJson(run));
            }

            return ExitCodes.Success;
        }

        ResultTables.WriteSeeds(context.OutputConsole, perSeed, methods);
        WriteDestination(context, output);
        return ExitCodes.Success;
    }

    private static TrainingPlan WithSeed(TrainingPlan plan, int seed) => plan with { Settings = plan.Settings with { Seed = seed } };

    private static void WriteDestination(CliContext context, RunOutput output)
    {
        if (output.Destination is not null)
        {
            context.Output.WriteLine($"comparison written to {output.Destination} (report: {Path.Combine(output.Destination, RunReport.ReportFileName)})");
        }
    }

    /// <summary>Names the seed in each progress task, so that every seed's runs get bars and lines of their own.</summary>
    private sealed class SeedProgress(IProgressSink sink, int seed) : IProgressSink
    {
        public void Report(ProgressUpdate update) => sink.Report(update with { Task = $"{SeedRuns.Folder(seed)} {update.Task}" });
    }
}
