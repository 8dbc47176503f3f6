using System.CommandLine;
using Occam.Cli.Output;

namespace Occam.Cli.Commands;

/// <summary><c>occam bench</c>: benchmarks; <c>kernels</c> measures the compute kernels' throughput.</summary>
internal static class BenchCommand
{
    /// <summary>Creates the command with its subcommands.</summary>
    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print {\"NAME\": GFLOP/s, ...} on stdout, and nothing else there" };
        var kernelsBench = new Command("kernels", "Measure the throughput of the compute kernels (GFLOP/s)") { json };
        kernelsBench.SetAction(result => RunKernels(context, result.GetValue(json)));

        var epochJson = new Option<bool>("--json") { Description = "Print {\"examples\": N, \"threads\": T, \"epoch_seconds\": S} on stdout, and nothing else there" };
        var examples = NumberOptions.Integer("--examples", "Synthetic examples in the epoch", "N", () => Occam.Benchmarks.EpochBenchmark.DefaultExamples);
        var threads = NumberOptions.Threads();
        var epoch = new Command("epoch", "Time one training epoch of the dense reference model (784-1024-10, dropout 0.2, Adam, batch 32) on synthetic data")
        {
            epochJson, examples, threads,
        };
        epoch.SetAction(result => RunEpoch(
            context,
            Validate.AtLeast("--examples", result.GetValue(examples), 1),
            Validate.Threads(result.GetValue(threads)),
            result.GetValue(epochJson)));
        var sparseJson = new Option<bool>("--json") { Description = "Print one {\"density\": D, \"train_epoch_seconds\": S, \"inference_examples_per_second\": E} line per density on stdout" };
        var densities = new Option<string>("--densities")
        {
            Description = "Comma-separated densities to measure, each in [0, 1], e.g. 1,0.5,0.3 (default: 1,0.5,0.2,0.1,0.05)",
            HelpName = "D,D,...",
        };
        var kernels = new Option<string>("--kernels")
        {
            Description = "Kernels of the first layer: auto (chosen by density, as in any run), sparse or dense (forced, to measure crossovers)",
            HelpName = "auto|sparse|dense",
            DefaultValueFactory = _ => "auto",
        };
        var inferenceBatch = new Option<int>("--inference-batch")
        {
            Description = "Examples per inference batch (what evaluation and occam predict use; training batches are 32)",
            HelpName = "N",
            DefaultValueFactory = _ => new Occam.Benchmarks.SparseBenchmarkOptions().InferenceBatchSize,
        };
        var sparse = new Command("sparse", "Training-epoch time and inference throughput of the reference model pruned to densities 1, 0.5, 0.2, 0.1, 0.05")
        {
            sparseJson, densities, kernels, inferenceBatch,
        };
        sparse.SetAction(result => RunSparse(
            context,
            SparseOptions(result.GetValue(densities), result.GetValue(kernels) ?? "auto") with
            {
                InferenceBatchSize = Validate.Between("--inference-batch", result.GetValue(inferenceBatch), 1, Occam.Benchmarks.SparseBenchmark.SyntheticExamples),
            },
            result.GetValue(sparseJson)));
        return new Command("bench", "Benchmarks")
        {
            kernelsBench, epoch, sparse, BenchTabularCommand.Create(context), BenchPaperCommand.Create(context), BenchMergeCommand.Create(context),
        };
    }

    /// <summary>Times the reference epoch and prints the seconds (as JSON with <paramref name="json"/>).</summary>
    public static int RunEpoch(CliContext context, int examples, int threads, bool json)
    {
        double seconds = context.Engine.BenchmarkEpoch(examples, threads, context.CancellationToken);
        context.Output.WriteLine(json
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{{\"examples\": {examples}, \"threads\": {threads}, \"epoch_seconds\": {seconds:F3}}}")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"one epoch of {examples} examples on {threads} threads: {seconds:F2} s"));
        return ExitCodes.Success;
    }

    /// <summary>
    /// The sparse benchmark's settings from <c>--densities</c> (null: the defaults) and <c>--kernels</c>; a malformed
    /// list, a density outside [0, 1] or an unknown kernel choice is a <see cref="UsageException"/>.
    /// </summary>
    public static Occam.Benchmarks.SparseBenchmarkOptions SparseOptions(string? densities, string kernels)
    {
        var path = kernels switch
        {
            "auto" => Occam.Layers.KernelPath.Automatic,
            "sparse" => Occam.Layers.KernelPath.Sparse,
            "dense" => Occam.Layers.KernelPath.Dense,
            _ => throw new UsageException($"--kernels must be auto, sparse or dense (got '{kernels}')"),
        };
        var options = new Occam.Benchmarks.SparseBenchmarkOptions { Kernels = path };
        if (densities is null)
        {
            return options;
        }

        var list = new List<double>();
        foreach (string part in densities.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double density)
                || !(density >= 0 && density <= 1))
            {
                throw new UsageException($"--densities takes numbers in [0, 1] separated by commas (got '{part}' in '{densities}')");
            }

            list.Add(density);
        }

        return options with { Densities = list };
    }

    /// <summary>Runs the sparse benchmark with <paramref name="options"/> and prints a table, or one JSON line per density with --json.</summary>
    public static int RunSparse(CliContext context, Occam.Benchmarks.SparseBenchmarkOptions options, bool json)
    {
        var rows = context.Engine.BenchmarkSparse(options, context.CancellationToken);
        if (json)
        {
            foreach (var row in rows)
            {
                context.Output.WriteLine(JsonOutput.SparseRow(row));
            }
        }
        else
        {
            ResultTables.WriteSparse(context.OutputConsole, rows);
        }

        return ExitCodes.Success;
    }

    /// <summary>Runs the kernel benchmarks and prints a table, or with --json one JSON object per case and line.</summary>
    public static int RunKernels(CliContext context, bool json)
    {
        var scores = context.Engine.BenchmarkKernels(context.CancellationToken);
        if (json)
        {
            foreach (var score in scores)
            {
                context.Output.WriteLine(JsonOutput.KernelRow(score));
            }
        }
        else
        {
            ResultTables.WriteKernels(context.OutputConsole, scores);
        }

        return ExitCodes.Success;
    }
}
