using System.Globalization;
using System.Text;
using Occam.Data;
using Occam.Training;

namespace Occam.Reports;

/// <summary>Builds the Markdown of a run report: the selected epoch of every run in one table, the plots, then each run's epochs.</summary>
public static class ReportMarkdown
{
    /// <summary>The report's Markdown for <paramref name="runs"/>, linking the plot files named in <paramref name="plotFiles"/>.</summary>
    public static string Build(IReadOnlyList<ReportedRun> runs, IReadOnlyList<string> plotFiles, string title)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(plotFiles);
        ArgumentNullException.ThrowIfNull(title);
        var text = new StringBuilder();
        text.Append("# ").AppendLine(title).AppendLine();
        text.AppendLine("## Selected epochs").AppendLine();
        AppendSelectionRules(text, runs);
        bool regression = runs.Any(r => r.Summary.Task == LearningTask.Regression);
        AppendSelectedTable(text, [.. runs.Select(r => ((int?)null, r))], regression);
        text.AppendLine().AppendLine("## Plots").AppendLine();
        foreach (string file in plotFiles)
        {
            text.Append("![").Append(Path.GetFileNameWithoutExtension(file).Replace('_', ' ')).Append("](").Append(file).AppendLine(")");
            text.AppendLine();
        }

        string quality = QualityHeader(regression);
        string qualityAlign = QualityAlign(regression);
        string lossUnit = LossUnit(regression);
        text.AppendLine("## Epochs");
        foreach (var run in runs)
        {
            text.AppendLine().Append("### ").AppendLine(Cell(run.Name)).AppendLine();
            text.Append("| Epoch | Train loss").Append(lossUnit).Append(" | Held-out loss").Append(lossUnit).Append(" | Test loss").Append(lossUnit).Append(" | ").Append(quality).AppendLine(" | Density | Prune rate | Zeta | Seconds |");
            text.Append("| ---: | ---: | ---: | ---: | ").Append(qualityAlign).AppendLine(" | ---: | ---: | ---: | ---: |");
            foreach (var epoch in run.Summary.Epochs)
            {
                text.Append("| ").Append(epoch.Epoch.ToString(CultureInfo.InvariantCulture))
                    .Append(epoch.Step is long step ? string.Create(CultureInfo.InvariantCulture, $" (step {step})") : "")
                    .Append(" | ").Append(Loss(epoch.TrainLoss))
                    .Append(" | ").Append(Loss(epoch.HoldoutLoss))
                    .Append(" | ").Append(Loss(epoch.TestLoss))
                    .Append(" | ").Append(Quality(epoch, regression))
                    .Append(" | ").Append(Percent(epoch.Density, "F1"))
                    .Append(" | ").Append(Number(epoch.PruneRate, "F3"))
                    .Append(" | ").Append(Number(epoch.Zeta, "F3"))
                    .Append(" | ").Append(epoch.TrainSeconds.ToString("F1", CultureInfo.InvariantCulture))
                    .AppendLine(" |");
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The report of a comparison repeated over <paramref name="seeds"/>: each method's mean ± standard deviation over
    /// the seeds, then every seed's selected epochs, with a link to each seed's own report.
    /// </summary>
    public static string BuildOverSeeds(IReadOnlyList<SeedRuns> seeds, IReadOnlyList<MethodOverSeeds> methods)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(methods);
        var runs = seeds.SelectMany(s => s.Runs).ToArray();
        bool regression = runs.Any(r => r.Summary.Task == LearningTask.Regression);
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("# Occam comparison report over seeds").AppendLine();
        text.Append("Seeds ").Append(string.Join(", ", seeds.Select(s => s.Seed.ToString(inv))))
            .AppendLine(": each seed ran the whole comparison as `--seed S` runs it, with its own data split, initialisation and batch order. "
                + "Each seed's runs, report and plots are in its own folder: "
                + string.Join(", ", seeds.Select(s => $"[{SeedRuns.Folder(s.Seed)}]({SeedRuns.Folder(s.Seed)}/{RunReport.ReportFileName})")) + ".");
        text.AppendLine().AppendLine("## Mean over seeds").AppendLine();
        text.AppendLine("Each cell is the mean over seeds ± the sample standard deviation of the selected epoch's figure.").AppendLine();
        string quality = regression ? "Test RMSE" : "Test accuracy";
        text.Append("| Method | Seeds | Selected epoch | Test loss").Append(LossUnit(regression)).Append(" | ").Append(quality)
            .AppendLine(" | Density | Training seconds |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var method in methods)
        {
            var figure = regression ? method.TestRmse : method.TestAccuracy;
            text.Append("| ").Append(Cell(method.Method))
                .Append(" | ").Append(method.Seeds.ToString(inv))
                .Append(" | ").Append(method.SelectedEpoch.Format("F1"))
                .Append(" | ").Append(method.TestLoss?.Format("F4") ?? "–")
                .Append(" | ").Append(figure is { } f ? (regression ? f.Format("G4") : f.Format("F2", 100) + " %") : "–")
                .Append(" | ").Append(method.Density.Format("F1", 100)).Append(" %")
                .Append(" | ").Append(method.TrainSeconds.Format("F1"))
                .AppendLine(" |");
        }

        text.AppendLine().AppendLine("## Per seed").AppendLine();
        AppendSelectionRules(text, runs);
        AppendSelectedTable(text, [.. seeds.SelectMany(s => s.Runs.Select(r => ((int?)s.Seed, r)))], regression);
        return text.ToString();
    }

    /// <summary>Why each method's selected epoch is the one it is: a list item per method.</summary>
    private static void AppendSelectionRules(StringBuilder text, IReadOnlyList<ReportedRun> runs)
    {
        text.AppendLine("Each run's selected epoch (`best` in its `summary.json`) is chosen by its method's own rule, from held-out figures only; "
            + "test figures are reported, never used to select:");
        text.AppendLine();
        foreach (string method in runs.Select(r => r.Summary.Method).Distinct(StringComparer.Ordinal))
        {
            text.Append("- ").Append(Cell(method)).Append(": ").AppendLine(SelectionRule(method));
        }

        text.AppendLine();
        if (runs.Any(r => r.Summary.Task == LearningTask.Regression))
        {
            text.Append("Losses are ").Append(LossName(runs)).AppendLine(" on standardised targets (the target minus its training mean, "
                + "over its training standard deviation), the units the network trains in; test RMSE and R² are in the target's own units.");
            text.AppendLine();
        }
    }

    /// <summary>The selected epoch of every run, one row each, with its seed first when the runs have seeds.</summary>
    private static void AppendSelectedTable(StringBuilder text, IReadOnlyList<(int? Seed, ReportedRun Run)> rows, bool regression)
    {
        bool seedColumn = rows.Any(r => r.Seed is not null);
        text.Append(seedColumn ? "| Seed " : "").Append("| Method | Selected epoch | Test loss").Append(LossUnit(regression)).Append(" | ").Append(QualityHeader(regression))
            .AppendLine(" | Density | Nonzero params | Training seconds | Training FLOPs (live) | Inference FLOPs |");
        text.Append(seedColumn ? "| ---: " : "").Append("| --- | ---: | ---: | ").Append(QualityAlign(regression)).AppendLine(" | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (seed, run) in rows)
        {
            var best = run.Summary.Best;
            if (seed is int s)
            {
                text.Append("| ").Append(s.ToString(CultureInfo.InvariantCulture)).Append(' ');
            }

            text.Append("| ").Append(Cell(run.Name))
                .Append(" | ").Append(best.Epoch.ToString(CultureInfo.InvariantCulture))
                .Append(" | ").Append(Loss(best.TestLoss))
                .Append(" | ").Append(Quality(best, regression))
                .Append(" | ").Append(Percent(best.Density, "F1"))
                .Append(" | ").Append(best.NonzeroParams.ToString("N0", CultureInfo.InvariantCulture))
                .Append(" | ").Append(run.Summary.TotalTrainSeconds.ToString("F1", CultureInfo.InvariantCulture))
                .Append(" | ").Append(Flops(run.Summary.TotalTrainFlopsSparse))
                .Append(" | ").Append(Flops(run.Summary.InferenceFlops))
                .AppendLine(" |");
        }
    }

    // Regression reports RMSE and R² (original units) where classification reports accuracy.
    private static string QualityHeader(bool regression) => regression ? "Test RMSE | Test R²" : "Test accuracy";

    private static string QualityAlign(bool regression) => regression ? "---: | ---:" : "---:";

    private static string LossUnit(bool regression) => regression ? " (standardised)" : "";

    /// <summary>
    /// The task loss the runs' loss figures are in: cross-entropy for classification, the recorded regression loss
    /// (mean squared error or Huber) for regression.
    /// </summary>
    internal static string LossName(IReadOnlyList<ReportedRun> runs)
    {
        if (runs.All(r => r.Summary.Task == LearningTask.Classification))
        {
            return "cross-entropy";
        }

        var names = runs.Select(r => r.Summary.Loss switch
        {
            "mse" => "mean squared error",
            "huber" => "Huber loss",
            string other => other,
            null => "regression loss",
        }).Distinct(StringComparer.Ordinal);
        return string.Join(" / ", names);
    }

    /// <summary>
    /// How <paramref name="method"/> picks its selected epoch. Only the occam controller decides the selection itself
    /// (<c>OccamController</c>); the other schedules leave it to the trainer's default, the lowest held-out loss.
    /// </summary>
    private static string SelectionRule(string method) => method switch
    {
        "occam" => "the controller's rule, not simply the lowest held-out loss: while pruning, a cut model is selected when its held-out loss is "
            + "no worse than the lowest so far, within a quarter of a standard error when the held-out set has at least 100 examples "
            + "(a smaller model the held-out set cannot tell apart); "
            + "after pruning, a fine-tuned model replaces the selected one only when it is lower by one standard error",
        "posthoc" or "posthoc-finetune" => "the lowest held-out loss among the models after the cut (the pruned dense model and its fine-tuning epochs, if any)",
        _ => "the lowest held-out loss",
    };

    private static string Quality(EpochRecord epoch, bool regression) =>
        regression ? $"{Number(epoch.TestRmse, "G4")} | {Number(epoch.TestR2, "F3")}" : Percent(epoch.TestAccuracy, "F2");

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static string Loss(double? value) => Number(value, "F4");

    private static string Number(double? value, string format) =>
        value is double v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    private static string Percent(double? fraction, string format) =>
        fraction is double v ? (v * 100).ToString(format, CultureInfo.InvariantCulture) + " %" : "–";

    private static string Flops(double value) => value.ToString("0.00e+00", CultureInfo.InvariantCulture);
}
