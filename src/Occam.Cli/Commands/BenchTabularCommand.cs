using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Occam.Benchmarks;
using Occam.Cli.Output;
using Occam.Pruning;
using Occam.Serialization;
using Spectre.Console;

namespace Occam.Cli.Commands;

/// <summary>
/// <c>occam bench tabular --data DIR [--task regression]</c>: every CSV in DIR, every method, mean test log-loss,
/// accuracy (regression: RMSE and R²), size and seconds, then the wins by each of the two. A sweep of cells
/// data set × seed × method (<see cref="Sweep"/>): <c>--shard</c> runs a share of them into a directory that
/// <c>occam bench merge</c> reports on.
/// </summary>
internal static class BenchTabularCommand
{
    /// <summary>Result keys in the order of the table and the JSON.</summary>
    private static readonly string[] MethodOrder = ["occam", "occam_paper", "dense", "posthoc", "rf", "gbdt"];

    /// <summary>The sweep's methods by name, in the order of <see cref="MethodOrder"/>.</summary>
    public static IReadOnlyList<string> Methods { get; } = [PruningMethods.Occam.Name, PruningMethods.OccamPaper.Name, PruningMethods.Dense.Name, PruningMethods.Posthoc.Name, "rf", "gbdt"];

    /// <summary>The name sweep.json gives this benchmark.</summary>
    public const string BenchmarkName = "tabular";

    /// <summary>Creates the subcommand.</summary>
    public static Command Create(CliContext context)
    {
        var data = new Option<string>("--data") { Description = "Directory of CSV files (header row, label column 'class' (regression: 'target'), else the last)", HelpName = "DIR", Required = true };
        var seeds = NumberOptions.Integer("--seeds", "Seeds 0..K-1, each with its own 80/20 split (stratified for classification)", "K", () => 5);
        var task = new Option<string?>("--task") { Description = "classification or regression [default: classification]", HelpName = "NAME" };
        var epochs = NumberOptions.Integer("--epochs", "Epoch budget of every network", "N", () => 30);
        var json = new Option<bool>("--json") { Description = "Print one JSON line per data set on stdout, and nothing else there" };
        var output = new Option<string?>("--out") { Description = "Also write tabular.jsonl, tabular.md, sweep.json and one file per cell here (with --shard: the sweep's shared directory)", HelpName = "DIR" };
        var methods = new Option<string?>("--methods")
        {
            Description = $"Comma-separated methods to compare, among {string.Join(", ", Methods)} [default: all]",
            HelpName = "NAME,NAME,...",
        };
        var list = BenchShard.CreateListOption();
        var shard = BenchShard.CreateOption();
        var command = new Command("tabular", "Compare Occam's MLPs with dense GD, post-training pruning, a random forest and boosted trees on tabular CSVs")
        {
            data, seeds, epochs, task, methods, json, output, list, shard,
        };
        command.SetAction(result =>
        {
            string directory = result.GetValue(data)!;
            var sweep = Manifest(
                directory,
                Validate.AtLeast("--seeds", result.GetValue(seeds), 1),
                Validate.AtLeast("--epochs", result.GetValue(epochs), 1),
                TaskChoice.Parse(result.GetValue(task)) ?? Occam.Data.LearningTask.Classification,
                SelectedMethods(result.GetValue(methods)));
            var selected = BenchShard.Resolve(result.GetValue(shard), Environment.GetEnvironmentVariable);
            if (result.GetValue(list))
            {
                return BenchShard.List(context, sweep.Grid(), selected);
            }

            return selected is null
                ? Run(context, directory, sweep, result.GetValue(json), result.GetValue(output))
                : selected.Run(context, sweep, result.GetValue(output), (sweepDirectory, cells) => RunCells(context, directory, sweep, cells, sweepDirectory.Write));
        });
        return command;
    }

    /// <summary>
    /// The methods of <c>--methods</c> (null: all) in the order of <see cref="Methods"/>; an unknown name is a
    /// <see cref="UsageException"/>.
    /// </summary>
    public static IReadOnlyList<string> SelectedMethods(string? list)
    {
        if (list is null)
        {
            return Methods;
        }

        string[] names = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (string name in names)
        {
            if (!Methods.Contains(name))
            {
                throw new UsageException($"--methods: unknown method '{name}' (expected some of {string.Join(", ", Methods)})");
            }
        }

        return names.Length > 0 ? [.. Methods.Where(names.Contains)] : throw new UsageException("--methods: no method named");
    }

    /// <summary>The sweep over every CSV file of <paramref name="directory"/>: sets × seeds 0..<paramref name="seeds"/>−1 × <paramref name="methods"/>.</summary>
    public static SweepManifest Manifest(string directory, int seeds, int epochs, Occam.Data.LearningTask task, IReadOnlyList<string> methods)
    {
        if (!Directory.Exists(directory))
        {
            throw new UsageException($"--data '{directory}': directory does not exist");
        }

        string[] sets = [.. Directory.GetFiles(directory, "*.csv").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!];
        if (sets.Length == 0)
        {
            throw new UsageException($"--data '{directory}': no .csv files");
        }

        var options = new Dictionary<string, string>
        {
            ["epochs"] = epochs.ToString(CultureInfo.InvariantCulture),
            ["task"] = task == Occam.Data.LearningTask.Regression ? "regression" : "classification",
        };
        return new SweepManifest(BenchmarkName, sets, [.. Enumerable.Range(0, seeds)], methods, options);
    }

    /// <summary>Runs every cell of <paramref name="sweep"/> and reports, as one process; with --out the cells are kept beside the report.</summary>
    public static int Run(CliContext context, string directory, SweepManifest sweep, bool json, string? outDirectory)
    {
        using var output = outDirectory is null ? null : RunOutput.Open(outDirectory);
        var kept = output is null ? null : new SweepDirectory(output.WorkingPath);
        kept?.Claim(sweep);
        var results = new Dictionary<string, TabularCellResult>(StringComparer.Ordinal);
        RunCells(context, directory, sweep, sweep.Grid(), (cell, result) =>
        {
            results[cell.Key] = result;
            kept?.Write(cell, result);
        });
        Report(context, sweep, TabularSweep.Results(sweep, cell => results[cell.Key]), json, output?.WorkingPath);
        output?.Complete();
        return ExitCodes.Success;
    }

    /// <summary>
    /// Writes <c>tabular.jsonl</c> and <c>tabular.md</c> into <paramref name="outDirectory"/> (when given) and prints the
    /// table or the JSON lines: the one report of an unsharded run and of <c>occam bench merge</c>.
    /// </summary>
    public static void Report(CliContext context, SweepManifest sweep, IReadOnlyList<TabularBenchmarkResult> results, bool json, string? outDirectory)
    {
        var lines = new StringBuilder();
        foreach (var result in results)
        {
            string line = JsonLine(result);
            lines.Append(line).Append('\n');
            if (json)
            {
                context.Output.WriteLine(line);
            }
        }

        string markdown = Markdown(results, sweep.Seeds.Count, sweep.IntegerOption("epochs"));
        if (!json)
        {
            context.Output.Write(markdown);
        }

        if (outDirectory is not null)
        {
            AtomicFile.WriteAllText(Path.Combine(outDirectory, "tabular.jsonl"), lines.ToString());
            AtomicFile.WriteAllText(Path.Combine(outDirectory, "tabular.md"), markdown);
        }
    }

    /// <summary>Runs <paramref name="cells"/>, one engine call per data set and seed, handing each cell's result to <paramref name="finished"/> as it completes.</summary>
    private static void RunCells(CliContext context, string directory, SweepManifest sweep, IReadOnlyList<SweepCell> cells, Action<SweepCell, TabularCellResult> finished)
    {
        int epochs = sweep.IntegerOption("epochs");
        var task = TaskChoice.Parse(sweep.Option("task")) ?? Occam.Data.LearningTask.Classification;
        foreach (var group in cells.GroupBy(c => (c.Group, c.Seed)))
        {
            string csv = Validate.ExistingFile("--data: file", Path.Combine(directory, group.Key.Group + ".csv"));
            var byMethod = group.ToDictionary(c => c.Method, StringComparer.Ordinal);
            context.Progress.Run(sink =>
            {
                context.Engine.BenchmarkTabular(csv, group.Key.Seed, [.. byMethod.Keys], epochs, task, result => finished(byMethod[MethodName(result.Result.Method)], result),
                    sink, context.CancellationToken);
                return 0;
            });
        }
    }

    /// <summary>The method name of a result key: "occam_paper" → "occam-paper".</summary>
    private static string MethodName(string resultKey) => Methods.Single(m => TabularBenchmark.ResultKey(m) == resultKey);

    /// <summary>
    /// One data set as <c>{"dataset": NAME, "occam": {"logloss": …, "accuracy": …, "size": …, "density": …, "seconds": …}, …}</c>;
    /// regression has <c>"rmse"</c> and <c>"r2"</c> in place of <c>"logloss"</c> and <c>"accuracy"</c>.
    /// </summary>
    public static string JsonLine(TabularBenchmarkResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("dataset", result.Dataset);
            foreach (string key in MethodOrder)
            {
                if (!result.Methods.TryGetValue(key, out var m))
                {
                    continue;
                }

                writer.WriteStartObject(key);
                if (result.Task == Occam.Data.LearningTask.Regression)
                {
                    writer.WriteNumber("rmse", Math.Round(m.MeanRmse, 5));
                    writer.WriteNumber("r2", Math.Round(m.MeanR2, 5));
                }
                else
                {
                    writer.WriteNumber("logloss", Math.Round(m.MeanLogLoss, 5));
                    writer.WriteNumber("accuracy", Math.Round(m.MeanAccuracy, 5));
                }

                writer.WriteNumber("size", Math.Round(m.MeanNonzeroParams, 1));
                writer.WriteNumber("density", Math.Round(m.MeanDensity, 4));
                writer.WriteNumber("seconds", Math.Round(m.MeanSeconds, 3));
                if (m.SameAsDense > 0)
                {
                    writer.WriteNumber("same_as_dense", Math.Round(m.SameAsDense, 4));
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// The table (log-loss / accuracy / size per method and set; regression: RMSE / R² / size) and the wins summary, as
    /// Markdown. Lower log-loss or RMSE wins, higher accuracy or R² wins.
    /// </summary>
    public static string Markdown(IReadOnlyList<TabularBenchmarkResult> results, int seeds, int epochs)
    {
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        bool regression = results.Count > 0 && results[0].Task == Occam.Data.LearningTask.Regression;
        var (lossName, scoreName) = regression ? ("RMSE", "R²") : ("log-loss", "accuracy");
        Func<TabularMethodResult, double> loss = regression ? m => m.MeanRmse : m => m.MeanLogLoss;
        Func<TabularMethodResult, double> score = regression ? m => m.MeanR2 : m => m.MeanAccuracy;
        text.Append(inv, $"Mean over seeds 0..{seeds - 1} ({(regression ? "seeded" : "stratified")} 80/20 splits), networks trained {epochs} epochs. ");
        text.Append(inv, $"Cell: test {lossName} / {scoreName} / size (nonzero weights; trees: nodes) / training seconds.\n\n");
        text.Append("| set | rows | ").AppendJoin(" | ", MethodOrder).Append(" |\n|---|---|").Append(string.Concat(Enumerable.Repeat("---|", MethodOrder.Length))).Append('\n');
        var lossWins = MethodOrder.ToDictionary(m => m, _ => 0);
        var accuracyWins = MethodOrder.ToDictionary(m => m, _ => 0);
        foreach (var r in results)
        {
            text.Append(inv, $"| {r.Dataset} | {r.Rows} |");
            foreach (string key in MethodOrder)
            {
                text.Append(r.Methods.TryGetValue(key, out var m)
                    ? string.Create(inv, $" {loss(m).ToString(regression ? "G4" : "F4", inv)} / {score(m):F3} / {m.MeanNonzeroParams:F0} / {m.MeanSeconds:F2} |")
                    : " – |");
            }

            text.Append('\n');
            var present = MethodOrder.Where(r.Methods.ContainsKey).ToList();
            lossWins[present.MinBy(k => loss(r.Methods[k]))!]++;
            accuracyWins[present.MaxBy(k => score(r.Methods[k]))!]++;
        }

        var reused = results
            .SelectMany(r => r.Methods.Where(p => p.Value.SameAsDense > 0).Select(p => (r.Dataset, Method: p.Key, Seeds: p.Value.Seeds)))
            .Select(x => string.Create(inv, $"{x.Method} on {x.Dataset} ({x.Seeds.Count(s => s.SameAsDense)} of {x.Seeds.Count} seeds)"))
            .ToList();
        if (reused.Count > 0)
        {
            text.Append("\nSame as dense (Occam kept every weight, so pruning to its density would prune nothing; the dense run's figures are reused): ")
                .AppendJoin(", ", reused).Append('\n');
        }

        text.Append(inv, $"\nWins by {lossName}: ").AppendJoin(", ", MethodOrder.Select(m => $"{m} {lossWins[m]}"));
        text.Append(inv, $"\nWins by {scoreName}: ").AppendJoin(", ", MethodOrder.Select(m => $"{m} {accuracyWins[m]}")).Append('\n');
        return text.ToString();
    }
}
