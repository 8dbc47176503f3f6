using System.Globalization;
using System.Text;
using Occam.Data;

namespace Occam.Reports;

/// <summary>Builds the Markdown of a run report: the selected epoch of every run in one table, the plots, then each run's epochs.</summary>
public static class ReportMarkdown
{
    /// <summary>The report's Markdown for <paramref name="runs"/>, linking the plot files named in <paramref name="plotFiles"/>.</summary>
    public static string Build(IReadOnlyList<RecordedRun> runs, IReadOnlyList<string> plotFiles, string title)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(plotFiles);
        ArgumentNullException.ThrowIfNull(title);
        var text = new StringBuilder();
        text.Append("# ").AppendLine(title).AppendLine();
        text.AppendLine("## Selected epochs").AppendLine();
        text.AppendLine("Each run's selected epoch is the one with the lowest held-out loss; test figures are reported, never used to select.");
        text.AppendLine();
        // Regression reports RMSE and R² (original units) where classification reports accuracy.
        bool regression = runs.Any(r => r.Task == LearningTask.Regression);
        string quality = regression ? "Test RMSE | Test R²" : "Test accuracy";
        string qualityAlign = regression ? "---: | ---:" : "---:";
        text.Append("| Method | Selected epoch | Test loss | ").Append(quality)
            .AppendLine(" | Density | Nonzero params | Training seconds | Training FLOPs (live) | Inference FLOPs |");
        text.Append("| --- | ---: | ---: | ").Append(qualityAlign).AppendLine(" | ---: | ---: | ---: | ---: | ---: |");
        foreach (var run in runs)
        {
            var best = run.Best;
            text.Append("| ").Append(Cell(run.Name))
                .Append(" | ").Append(best.Epoch.ToString(CultureInfo.InvariantCulture))
                .Append(" | ").Append(Loss(best.TestLoss))
                .Append(" | ").Append(Quality(best, regression))
                .Append(" | ").Append(Percent(best.Density, "F1"))
                .Append(" | ").Append(best.NonzeroParams.ToString("N0", CultureInfo.InvariantCulture))
                .Append(" | ").Append(run.TotalTrainSeconds.ToString("F1", CultureInfo.InvariantCulture))
                .Append(" | ").Append(Flops(run.TotalTrainFlopsSparse))
                .Append(" | ").Append(Flops(run.InferenceFlops))
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
            text.Append("| Epoch | Train loss | Held-out loss | Test loss | ").Append(quality).AppendLine(" | Density | Prune rate | Zeta | Seconds |");
            text.Append("| ---: | ---: | ---: | ---: | ").Append(qualityAlign).AppendLine(" | ---: | ---: | ---: | ---: |");
            foreach (var epoch in run.Epochs)
            {
                text.Append("| ").Append(epoch.Epoch.ToString(CultureInfo.InvariantCulture))
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

    private static string Quality(RecordedEpoch epoch, bool regression) =>
        regression ? $"{Number(epoch.TestRmse, "G4")} | {Number(epoch.TestR2, "F3")}" : Percent(epoch.TestAccuracy, "F2");

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static string Loss(double? value) => Number(value, "F4");

    private static string Number(double? value, string format) =>
        value is double v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    private static string Percent(double? fraction, string format) =>
        fraction is double v ? (v * 100).ToString(format, CultureInfo.InvariantCulture) + " %" : "–";

    private static string Flops(double value) => value.ToString("0.00e+00", CultureInfo.InvariantCulture);
}
