using System.CommandLine;
using System.Globalization;
using Occam.Benchmarks;
using Occam.Cli.Output;

namespace Occam.Cli.Commands;

/// <summary>
/// <c>occam bench paper [--quick] --out DIR</c>: SPEC §4's four experiments (the dense reference model and the CNN on
/// Fashion-MNIST, the tabular suite, a character-level GPT), each Occam against dense GD, post-training pruning and
/// gradual magnitude pruning, into one report. A sweep of cells experiment × seed (<see cref="PaperSweep"/>):
/// <c>--shard</c> runs a share of them into a directory that <c>occam bench merge</c> reports on.
/// </summary>
internal static class BenchPaperCommand
{
    /// <summary>Creates the subcommand.</summary>
    public static Command Create(CliContext context)
    {
        var quick = new Option<bool>("--quick") { Description = "Small budgets, same experiments (4 000 Fashion-MNIST images, 3-5 epochs, tiny CNN and GPT, 3 tabular sets, 1 seed): under a minute" };
        var output = new Option<string?>("--out")
        {
            Description = "Write report.md, results.json, the plots, every sub-run, sweep.json and one file per cell here (must not exist, or be empty; with --shard: the sweep's shared directory)",
            HelpName = "DIR",
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON line per experiment, method and seed on stdout, and nothing else there: " +
                "{\"experiment\", \"method\", \"seed\", \"test_loss\", \"test_accuracy\", \"density\", \"nonzero\", \"train_seconds\"}",
        };
        var only = new Option<string?>("--only") { Description = "Run one experiment: mlp, cnn, tabular or gpt", HelpName = "NAME" };
        var seedList = new Option<string?>("--seeds")
        {
            Description = "Repeat each experiment with these seeds (overrides --seed; the tabular suite's seeds too) and report each method's mean ± standard deviation",
            HelpName = "S,S,...",
        };
        var fashionMnist = new Option<string>("--fashion-mnist")
        {
            Description = "Directory of the Fashion-MNIST IDX files",
            HelpName = "DIR",
            DefaultValueFactory = _ => Occam.Data.FashionMnist.DefaultDirectory,
        };
        var tabular = new Option<string>("--tabular") { Description = "Directory of the tabular CSV files", HelpName = "DIR", DefaultValueFactory = _ => Path.Combine("data", "tabular") };
        var text = new Option<string>("--text") { Description = "The GPT's text corpus (plain or .gz)", HelpName = "PATH", DefaultValueFactory = _ => Path.Combine("data", "text", "kjv.txt.gz") };
        var seed = NumberOptions.Integer("--seed", "Seed of every network run (split, initialisation, batch order, text windows)", "S", () => 1);
        var threads = NumberOptions.Threads();
        var list = BenchShard.CreateListOption();
        var shard = BenchShard.CreateOption();
        var command = new Command("paper",
            "SPEC §4's comparisons in one report: the dense reference model and a CNN on Fashion-MNIST, the tabular suite and a character-level GPT, " +
            "each Occam vs dense GD vs post-training pruning (with and without a fine-tuning epoch) vs gradual magnitude pruning to Occam's density. " +
            "The full run takes about an hour on 2 cores (the GPT experiment 45 minutes of it on shared ones). A sweep of cells experiment × seed (each with all its methods): " +
            "--list prints them, --shard runs a share of them into a shared --out, 'occam bench merge DIR' then writes the report.")
        {
            quick, output, json, only, seedList, fashionMnist, tabular, text, seed, threads, list, shard,
        };
        command.SetAction(result =>
        {
            var options = (result.GetValue(quick) ? PaperBenchmarkOptions.Quick : PaperBenchmarkOptions.Full) with
            {
                FashionMnistDirectory = result.GetValue(fashionMnist)!,
                TabularDirectory = result.GetValue(tabular)!,
                TextPath = result.GetValue(text)!,
                Seed = result.GetValue(seed),
                Seeds = Validate.Seeds(result.GetValue(seedList)),
                Only = result.GetValue(only) is { } name ? [Experiment(name)] : null,
            };
            var sweep = PaperSweep.Manifest(options);
            var selected = BenchShard.Resolve(result.GetValue(shard), Environment.GetEnvironmentVariable);
            if (result.GetValue(list))
            {
                return BenchShard.List(context, sweep.Grid(), selected);
            }

            int threadCount = Validate.Threads(result.GetValue(threads));
            if (selected is not null)
            {
                CheckData(options);
                return selected.Run(context, sweep, result.GetValue(output), (sweepDirectory, cells) => context.Progress.Run(sink =>
                    context.Engine.BenchmarkPaperCells(options, threadCount, sweep, cells, sweepDirectory.Path, sink, context.CancellationToken)));
            }

            string line = "occam " + string.Join(' ', result.Tokens.Select(t => t.Value));
            string outDirectory = result.GetValue(output) ?? throw new UsageException("bench paper: pass --out DIR");
            return Run(context, options, threadCount, outDirectory, line, result.GetValue(json));
        });
        return command;
    }

    /// <summary>Checks the data, runs the benchmark into <paramref name="outDirectory"/> (atomically), prints the verdicts or the JSON.</summary>
    public static int Run(CliContext context, PaperBenchmarkOptions options, int threads, string outDirectory, string commandLine, bool json)
    {
        CheckData(options);
        using var output = RunOutput.Open(outDirectory);
        var result = context.Progress.Run(sink => context.Engine.BenchmarkPaper(options, threads, output.WorkingPath, commandLine, sink, context.CancellationToken));
        output.Complete();
        Print(context, result, json, output.Destination!);
        return ExitCodes.Success;
    }

    /// <summary>
    /// The report of a sharded run's sweep (<paramref name="sweep"/>, its cells in <paramref name="directory"/>): the run
    /// records' plots, report.md and results.json written into that directory and printed as the unsharded run prints them.
    /// </summary>
    public static int Merge(CliContext context, SweepManifest sweep, SweepDirectory directory, string commandLine, bool json)
    {
        var result = PaperBenchmark.Report(sweep, directory.Read<PaperExperimentResult>, directory.Path, commandLine, DateTimeOffset.UtcNow, seconds: null);
        Print(context, result, json, directory.Path);
        return ExitCodes.Success;
    }

    /// <summary>Prints the JSON lines, or per experiment its table and verdict and then where the report is.</summary>
    private static void Print(CliContext context, PaperBenchmarkResult result, bool json, string outDirectory)
    {
        if (json)
        {
            foreach (string line in PaperReport.JsonLines(result))
            {
                context.Output.WriteLine(line);
            }

            return;
        }

        var inv = CultureInfo.InvariantCulture;
        int number = 0;
        foreach (var experiment in result.Experiments)
        {
            context.Output.WriteLine(string.Create(inv, $"{++number}. {experiment.Title} ({experiment.Seconds / 60:F1} min)"));
            context.Output.WriteLine("   method             epoch  test loss  accuracy   density   seconds");
            foreach (var row in experiment.Rows)
            {
                context.Output.WriteLine(string.Create(inv,
                    $"   {row.Method,-17} {row.SelectedEpoch,6:0.#} {row.TestLoss,10:F4} {row.TestAccuracy,9:P2} {row.Density,9:P1} {row.TrainSeconds,9:F1}{(row.Note is { } note ? "  " + note : "")}"));
            }

            context.Output.WriteLine("   where Occam loses: " + experiment.WhereOccamLoses);
        }

        context.Output.WriteLine(string.Create(inv,
            $"{result.Seconds / 60:F1} min; report written to {Path.Combine(outDirectory, PaperReport.ReportFileName)}"));
    }

    /// <summary>The experiment named by <c>--only</c>; anything else is a usage error.</summary>
    private static string Experiment(string name) => PaperBenchmark.Experiments.Contains(name)
        ? name
        : throw new UsageException($"--only '{name}': expected one of {string.Join(", ", PaperBenchmark.Experiments)}");

    /// <summary>Fails with one usage line, before any work, when a data set the selected experiments need is missing.</summary>
    private static void CheckData(PaperBenchmarkOptions options)
    {
        bool Runs(string experiment) => options.Only?.Contains(experiment) ?? true;
        if ((Runs("mlp") || Runs("cnn")) && !Directory.Exists(options.FashionMnistDirectory))
        {
            throw new UsageException(options.FashionMnistDirectory == Occam.Data.FashionMnist.DefaultDirectory
                ? $"Fashion-MNIST is not installed in {options.FashionMnistDirectory}: install it with 'apt-get install dataset-fashion-mnist', or pass --fashion-mnist DIR"
                : $"--fashion-mnist '{options.FashionMnistDirectory}': directory does not exist");
        }

        if (Runs("tabular"))
        {
            CheckTabular(options);
        }

        if (Runs("gpt"))
        {
            Validate.ExistingFile("--text", options.TextPath);
        }
    }

    private static void CheckTabular(PaperBenchmarkOptions options)
    {
        if (!Directory.Exists(options.TabularDirectory))
        {
            throw new UsageException($"--tabular '{options.TabularDirectory}': directory does not exist");
        }

        var sets = options.TabularSets ?? Directory.GetFiles(options.TabularDirectory, "*.csv").Select(Path.GetFileName).ToArray()!;
        if (sets.Count == 0)
        {
            throw new UsageException($"--tabular '{options.TabularDirectory}': no .csv files");
        }

        foreach (string set in sets)
        {
            Validate.ExistingFile("--tabular: file", Path.Combine(options.TabularDirectory, set));
        }
    }
}
