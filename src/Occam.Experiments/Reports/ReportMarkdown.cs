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
        text.AppendLine("Each run's selected epoch (`best` in its `summary.json`) is chosen by its method's own rule, from held-out figures only; "
            + "test figures are reported, never used to select:");
        text.AppendLine();
        foreach (string method in runs.Select(r => r.Summary.Method).Distinct(StringComparer.Ordinal))
        {
            text.Append("- ").Append(Cell(method)).Append(": ").AppendLine(SelectionRule(method));
        }

        text.AppendLine();
        // Regression reports RMSE and R² (original units) where classification reports accuracy.
        bool regression = runs.Any(r => r.Summary.Task == LearningTask.Regression);
        string quality = regression ? "Test RMSE | Test R²" : "Test accuracy";
        string qualityAlign = regression ? "---: | ---:" : "---:";
        if (regression)
        {
            text.Append("Losses are ").Append(LossName(runs)).AppendLine(" on standardised targets (the target minus its training mean, "
                + "over its training standard deviation), the units the network trains in; test RMSE and R² are in the target's own units.");
            text.AppendLine();
        }

        string lossUnit = regression ? " (standardised)" : "";
        text.Append("| Method | Selected epoch | Test loss").Append(lossUnit).Append(" | ").Append(quality)
            .AppendLine(" | Density | Nonzero params | Training seconds | Training FLOPs (live) | Inference FLOPs |");
        text.Append("| --- | ---: | ---: | ").Append(qualityAlign).AppendLine(" | ---: | ---: | ---: | ---: | ---: |");
        foreach (var run in runs)
        {
            var best = run.Summary.Best;
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

        text.AppendLine().AppendLine("## Plots").AppendLine();
        foreach (string file in plotFiles)
        {
            text.Append("![").Append(Path.GetFileNameWithoutExtension(file).Replace('_', ' ')).Append("](").Append(file).AppendLine(")");
            text.AppendLine();
        }

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
