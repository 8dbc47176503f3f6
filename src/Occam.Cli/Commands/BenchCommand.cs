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
        var kernels = new Command("kernels", "Measure the throughput of the compute kernels (GFLOP/s)") { json };
        kernels.SetAction(result => RunKernels(context, result.GetValue(json)));

        var epochJson = new Option<bool>("--json") { Description = "Print {\"examples\": N, \"threads\": T, \"epoch_seconds\": S} on stdout, and nothing else there" };
        var examples = NumberOptions.Integer("--examples", "Synthetic examples in the epoch", "N", () => Occam.Benchmarks.EpochBenchmark.DefaultExamples);
        var threads = NumberOptions.Integer("--threads", "Worker threads (default: the number of cores)", "N", () => Environment.ProcessorCount);
        var epoch = new Command("epoch", "Time one training epoch of the dense reference model (784-1024-10, dropout 0.2, Adam, batch 32) on synthetic data")
        {
            epochJson, examples, threads,
        };
        epoch.SetAction(result => RunEpoch(
            context,
            Validate.AtLeast("--examples", result.GetValue(examples), 1),
            Validate.AtLeast("--threads", result.GetValue(threads), 1),
            result.GetValue(epochJson)));
        var sparseJson = new Option<bool>("--json") { Description = "Print one {\"density\": D, \"train_epoch_seconds\": S, \"inference_examples_per_second\": E} line per density on stdout" };
        var sparse = new Command("sparse", "Training-epoch time and inference throughput of the reference model pruned to densities 1, 0.5, 0.2, 0.1, 0.05")
        {
            sparseJson,
        };
        sparse.SetAction(result => RunSparse(context, result.GetValue(sparseJson)));
        return new Command("bench", "Benchmarks") { kernels, epoch, sparse, BenchTabularCommand.Create(context), BenchPaperCommand.Create(context) };
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

    /// <summary>Runs the sparse benchmark and prints a table, or one JSON line per density with --json.</summary>
    public static int RunSparse(CliContext context, bool json)
    {
        var rows = context.Engine.BenchmarkSparse(context.CancellationToken);
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

    /// <summary>Runs the kernel benchmarks and prints a table, or one JSON object with --json.</summary>
    public static int RunKernels(CliContext context, bool json)
    {
        var scores = context.Engine.BenchmarkKernels(context.CancellationToken);
        if (json)
        {
            context.Output.WriteLine(JsonOutput.Kernels(scores));
        }
        else
        {
            ResultTables.WriteKernels(context.OutputConsole, scores);
        }

        return ExitCodes.Success;
    }
}
