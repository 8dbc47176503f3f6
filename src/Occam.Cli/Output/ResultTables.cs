using System.Globalization;
using Occam.Cli.Engine;
using Occam.Reports;
using Spectre.Console;

namespace Occam.Cli.Output;

/// <summary>The human-readable result tables the commands print on stdout.</summary>
internal static class ResultTables
{
    /// <summary>Each run's selected epoch: test loss, accuracy (regression: RMSE and R²), density, size and training time.</summary>
    public static void WriteRuns(IAnsiConsole console, IReadOnlyList<ReportedRun> runs) =>
        WriteRuns(console, [.. runs.Select(r => ((int?)null, r))]);

    /// <summary>As <see cref="WriteRuns(IAnsiConsole, IReadOnlyList{ReportedRun})"/>, every seed's runs in one table, the seed first.</summary>
    private static void WriteRuns(IAnsiConsole console, IReadOnlyList<SeedRuns> seeds) =>
        WriteRuns(console, [.. seeds.SelectMany(s => s.Runs.Select(r => ((int?)s.Seed, r)))]);

    private static void WriteRuns(IAnsiConsole console, IReadOnlyList<(int? Seed, ReportedRun Run)> rows)
    {
        bool seedColumn = rows.Any(r => r.Seed is not null);
        var runs = rows.Select(r => r.Run).ToArray();
        bool regression = runs.Any(r => r.Summary.Task == Occam.Data.LearningTask.Regression);
        string[] columns = regression
            ? ["method", "epoch", "test loss", "rmse", "r2", "density", "nonzero", "train s"]
            : ["method", "epoch", "test loss", "accuracy", "density", "nonzero", "train s"];
        var table = new Table().AddColumns(seedColumn ? ["seed", .. columns] : columns);
        foreach (var column in table.Columns.Skip(seedColumn ? 2 : 1))
        {
            column.RightAligned();
        }

        foreach (var (seedOfRun, run) in rows)
        {
            var best = run.Summary.Best;
            string[] quality = regression
                ? [Number(best.TestRmse, "G4"), Number(best.TestR2, "F3")]
                : [best.TestAccuracy is double accuracy ? Percent(accuracy) : "-"];
            string[] seed = seedOfRun is int s ? [s.ToString(CultureInfo.InvariantCulture)] : [];
            table.AddRow([
                .. seed,
                Markup.Escape(run.Name),
                best.Epoch.ToString(CultureInfo.InvariantCulture),
                Number(best.TestLoss, "F4"),
                .. quality,
                Percent(best.Density),
                best.NonzeroParams.ToString("N0", CultureInfo.InvariantCulture),
                run.Summary.TotalTrainSeconds.ToString("F1", CultureInfo.InvariantCulture)]);
        }

        console.Write(table);
    }

    /// <summary>
    /// A comparison over seeds: each method's mean ± standard deviation over the seeds of its selected epoch's figures
    /// (epoch, test loss, accuracy or, in regression, RMSE, density, training time), then every seed's runs.
    /// </summary>
    public static void WriteSeeds(IAnsiConsole console, IReadOnlyList<SeedRuns> seeds, IReadOnlyList<MethodOverSeeds> methods)
    {
        bool regression = seeds.Any(s => s.Runs.Any(r => r.Summary.Task == Occam.Data.LearningTask.Regression));
        WriteOverSeeds(console, methods, regression);
        WriteRuns(console, seeds);
    }

    private static void WriteOverSeeds(IAnsiConsole console, IReadOnlyList<MethodOverSeeds> methods, bool regression)
    {
        var table = new Table().AddColumns("method", "seeds", "epoch", "test loss", regression ? "rmse" : "accuracy", "density", "train s");
        foreach (var column in table.Columns.Skip(1))
        {
            column.RightAligned();
        }

        foreach (var method in methods)
        {
            var quality = regression ? method.TestRmse : method.TestAccuracy;
            table.AddRow(
                Markup.Escape(method.Method),
                method.Seeds.ToString(CultureInfo.InvariantCulture),
                method.SelectedEpoch.Format("F1"),
                method.TestLoss?.Format("F4") ?? "-",
                quality is { } q ? (regression ? q.Format("G4") : q.Format("F2", 100) + " %") : "-",
                method.Density.Format("F2", 100) + " %",
                method.TrainSeconds.Format("F1"));
        }

        console.Write(table);
    }

    /// <summary>A saved model's figures on a test split (regression: RMSE, MAE and R² in original units).</summary>
    public static void WriteEvaluation(IAnsiConsole console, EvaluationResult result)
    {
        var table = result.Regression is null
            ? new Table().AddColumns("examples", "loss", "accuracy", "density", "nonzero params")
            : new Table().AddColumns("examples", "loss", "rmse", "mae", "r2", "density", "nonzero params");
        string[] quality = result.Regression is { } scores
            ? [Number(scores.Rmse, "G4"), Number(scores.Mae, "G4"), Number(scores.R2, "F3")]
            : [Percent(result.Accuracy)];
        table.AddRow([
            result.Examples.ToString("N0", CultureInfo.InvariantCulture),
            result.Loss.ToString("F4", CultureInfo.InvariantCulture),
            .. quality,
            result.TotalParams > 0 ? Percent((double)result.NonzeroParams / result.TotalParams) : "-",
            result.NonzeroParams.ToString("N0", CultureInfo.InvariantCulture)]);
        console.Write(table);
    }

    /// <summary>Kernel throughputs in the benchmark's order, with the SIMD path and kernel each case ran.</summary>
    public static void WriteKernels(IAnsiConsole console, IReadOnlyList<KernelScore> scores)
    {
        var table = new Table().AddColumns("case", "isa", "kernel", "GFLOP/s");
        table.Columns[3].RightAligned();
        foreach (var score in scores)
        {
            table.AddRow(
                Markup.Escape(score.Name), Markup.Escape(score.Isa), Markup.Escape(score.Kernel),
                score.GigaflopsPerSecond.ToString("F1", CultureInfo.InvariantCulture));
        }

        console.Write(table);
    }

    /// <summary>Writes the sparse benchmark: per density the epoch time and inference throughput, with ratios to the first row.</summary>
    public static void WriteSparse(IAnsiConsole console, IReadOnlyList<Occam.Benchmarks.SparseBenchmarkRow> rows)
    {
        var table = new Table().AddColumns("density", "train kernels", "train epoch (s)", "× first", "inference kernels", "inference (examples/s)", "× first");
        foreach (int c in (int[])[2, 3, 5, 6])
        {
            table.Columns[c].RightAligned();
        }

        foreach (var row in rows)
        {
            table.AddRow(
                row.Density.ToString("0.###", CultureInfo.InvariantCulture),
                row.TrainingRanSparse ? "sparse" : "dense",
                row.TrainEpochSeconds.ToString("F2", CultureInfo.InvariantCulture),
                (row.TrainEpochSeconds / rows[0].TrainEpochSeconds).ToString("F2", CultureInfo.InvariantCulture),
                row.InferenceRanSparse ? "sparse" : "dense",
                row.InferenceExamplesPerSecond.ToString("F0", CultureInfo.InvariantCulture),
                (row.InferenceExamplesPerSecond / rows[0].InferenceExamplesPerSecond).ToString("F2", CultureInfo.InvariantCulture));
        }

        console.Write(table);
        var first = rows[0];
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SIMD path: {first.Isa}. Calibrated crossovers of the 784 → 1024 layer on this CPU: training {Number(first.TrainingCrossover, "0.###")}, inference {Number(first.InferenceCrossover, "0.###")} (sparse kernels at or below; - : not calibrated)."));
    }

    private static string Number(double? value, string format) =>
        value is double v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static string Percent(double fraction) => (fraction * 100).ToString("F2", CultureInfo.InvariantCulture) + " %";
}
