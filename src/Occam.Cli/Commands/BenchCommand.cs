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
        return new Command("bench", "Benchmarks") { kernels };
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
