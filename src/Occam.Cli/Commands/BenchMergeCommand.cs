using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Occam.Benchmarks;

namespace Occam.Cli.Commands;

/// <summary>
/// <c>occam bench merge DIR…</c>: the report of a sweep whose shards wrote their cells into DIR (or into several
/// directories), once every cell of the grid is there: the same files and output as the unsharded run.
/// </summary>
internal static class BenchMergeCommand
{
    /// <summary>How many missing cells the error names before counting the rest.</summary>
    private const int MissingNamed = 10;

    /// <summary>Creates the subcommand.</summary>
    public static Command Create(CliContext context)
    {
        var directories = new Argument<string[]>("DIR") { Description = "The sweep's directories (each shard's --out; one when the shards shared it)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--out") { Description = "Write the report here [default: the first DIR; a paper sweep's report goes into its one DIR, beside its run records]", HelpName = "DIR" };
        var json = new Option<bool>("--json") { Description = "Print what the unsharded run prints with --json, and nothing else on stdout" };
        var command = new Command("merge", "Check that every cell of a sharded 'bench tabular' or 'bench paper' sweep is present (naming the missing ones) and write its report, as the unsharded run does")
        {
            directories, output, json,
        };
        command.SetAction(result =>
        {
            string[] dirs = result.GetValue(directories)!;
            string line = "occam " + string.Join(' ', result.Tokens.Select(t => t.Value));
            return Run(context, dirs, result.GetValue(output), result.GetValue(json), line);
        });
        return command;
    }

    /// <summary>
    /// Reads the cells of <paramref name="directories"/>, refuses an incomplete or mixed sweep, writes the report into
    /// <paramref name="outDirectory"/> (null: the first directory). A paper sweep's report is written beside its run
    /// records, so its shards must have shared one directory.
    /// </summary>
    public static int Run(CliContext context, IReadOnlyList<string> directories, string? outDirectory, bool json, string commandLine)
    {
        var sweeps = directories.Select(d => new SweepDirectory(Validate.ExistingPath("bench merge: directory", d))).ToList();
        var sweep = sweeps[0].ReadManifest();
        string definition = JsonSerializer.Serialize(sweep, SweepDirectory.JsonOptions);
        foreach (var other in sweeps.Skip(1))
        {
            if (JsonSerializer.Serialize(other.ReadManifest(), SweepDirectory.JsonOptions) != definition)
            {
                throw new UsageException($"{Path.Combine(other.Path, SweepDirectory.ManifestFileName)}: a different sweep from {Path.Combine(sweeps[0].Path, SweepDirectory.ManifestFileName)}");
            }
        }

        bool paper = sweep.Benchmark == PaperSweep.BenchmarkName;
        if (!paper && sweep.Benchmark != BenchTabularCommand.BenchmarkName)
        {
            throw new UsageException($"{Path.Combine(sweeps[0].Path, SweepDirectory.ManifestFileName)}: bench merge reports 'tabular' and 'paper' sweeps (this one is '{sweep.Benchmark}')");
        }

        if (paper && (sweeps.Count > 1 || (outDirectory is not null && Path.GetFullPath(outDirectory) != Path.GetFullPath(sweeps[0].Path))))
        {
            throw new UsageException("bench merge: a 'paper' sweep is reported in its one directory (the shards' shared --out), beside its run records: pass that DIR alone, without --out");
        }

        var grid = sweep.Grid();
        var missing = grid.Where(c => !sweeps.Any(s => s.Has(c))).ToList();
        if (missing.Count > 0)
        {
            string named = string.Join(", ", missing.Take(MissingNamed).Select(c => c.Key));
            string more = missing.Count > MissingNamed ? string.Create(CultureInfo.InvariantCulture, $" and {missing.Count - MissingNamed} more") : "";
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"{missing.Count} of the sweep's {grid.Count} cells have no result in {string.Join(", ", directories)}: {named}{more}"));
        }

        if (paper)
        {
            return BenchPaperCommand.Merge(context, sweep, sweeps[0], commandLine, json);
        }

        var results = TabularSweep.Results(sweep, cell => sweeps.First(s => s.Has(cell)).Read<TabularCellResult>(cell));
        string reportDirectory = outDirectory ?? sweeps[0].Path;
        Directory.CreateDirectory(reportDirectory);
        BenchTabularCommand.Report(context, sweep, results, json, reportDirectory);
        return ExitCodes.Success;
    }
}
