using Occam.Data;
using ScottPlot;

namespace Occam.Reports;

/// <summary>Draws a comparison's curves as PNG files, every run on the same axes in the same colour across plots.</summary>
public static class ReportPlots
{
    /// <summary>File name of the held-out and test loss per epoch plot.</summary>
    public const string LossFileName = "loss.png";

    /// <summary>File name of the density per epoch plot.</summary>
    public const string DensityFileName = "density.png";

    /// <summary>File name of the loss against cumulative training FLOPs plot.</summary>
    public const string LossAgainstFlopsFileName = "loss_vs_flops.png";

    private const int Width = 900;
    private const int Height = 560;

    /// <summary>Writes the three plots into <paramref name="directory"/> and returns their file names, in report order.</summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<ReportedRun> runs, string directory)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(directory);
        Save(LossPerEpoch(runs), Path.Combine(directory, LossFileName));
        Save(DensityPerEpoch(runs), Path.Combine(directory, DensityFileName));
        Save(LossAgainstFlops(runs), Path.Combine(directory, LossAgainstFlopsFileName));
        return [LossFileName, DensityFileName, LossAgainstFlopsFileName];
    }

    /// <summary>Held-out and test loss per epoch, each run's selected epoch ringed on its held-out curve.</summary>
    internal static Plot LossPerEpoch(IReadOnlyList<ReportedRun> runs)
    {
        var plot = NewPlot("Loss per epoch (solid: held-out, dashed: test, ring: selected epoch)", "epoch", LossAxis(runs));
        for (int i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            AddLossCurves(plot, run, [.. run.Summary.Epochs.Select(e => e.EpochFraction ?? e.Epoch)], ColorOf(i));
        }

        return plot;
    }

    /// <summary>Density per epoch, each run's selected epoch ringed.</summary>
    internal static Plot DensityPerEpoch(IReadOnlyList<ReportedRun> runs)
    {
        var plot = NewPlot("Density per epoch (ring: selected epoch)", "epoch", "density (nonzero / total weights)");
        for (int i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            double[] xs = [.. run.Summary.Epochs.Select(e => e.EpochFraction ?? e.Epoch)];
            AddCurve(plot, xs, [.. run.Summary.Epochs.Select(e => (double?)e.Density)], ColorOf(i), run.Name, dashed: false);
            MarkSelected(plot, run, xs, run.Summary.Best.Density, ColorOf(i));
        }

        plot.Axes.SetLimitsY(0, 1.05);
        return plot;
    }

    /// <summary>Held-out and test loss against cumulative training FLOPs, each run's selected epoch ringed on its held-out curve.</summary>
    internal static Plot LossAgainstFlops(IReadOnlyList<ReportedRun> runs)
    {
        double largest = runs.Max(r => FlopsBeforeFirstEpoch(r) + r.Summary.Epochs.Sum(e => e.TrainFlopsSparse));
        var (scale, unit) = FlopUnit(largest);
        var plot = NewPlot("Loss against cumulative training FLOPs (solid: held-out, dashed: test, ring: selected epoch)", $"cumulative training {unit} (live weights)", LossAxis(runs));
        for (int i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            double cumulative = FlopsBeforeFirstEpoch(run);
            var xs = new double[run.Summary.Epochs.Count];
            for (int e = 0; e < xs.Length; e++)
            {
                cumulative += run.Summary.Epochs[e].TrainFlopsSparse;
                xs[e] = cumulative / scale;
            }

            AddLossCurves(plot, run, xs, ColorOf(i));
        }

        return plot;
    }

    /// <summary>
    /// Training FLOPs a run's total counts beyond its own epochs: for a posthoc run, the dense training whose model it
    /// prunes. Its curve starts there, so a method that only prunes a trained model is not drawn as if it cost nothing.
    /// </summary>
    private static double FlopsBeforeFirstEpoch(ReportedRun run) =>
        Math.Max(0, run.Summary.TotalTrainFlopsSparse - run.Summary.Epochs.Sum(e => e.TrainFlopsSparse));

    private static void AddLossCurves(Plot plot, ReportedRun run, double[] xs, Color color)
    {
        AddCurve(plot, xs, [.. run.Summary.Epochs.Select(e => (double?)e.HoldoutLoss)], color, $"{run.Name} held-out", dashed: false);
        AddCurve(plot, xs, [.. run.Summary.Epochs.Select(e => e.TestLoss)], color, $"{run.Name} test", dashed: true);
        MarkSelected(plot, run, xs, run.Summary.Best.HoldoutLoss, color);
    }

    /// <summary>
    /// Rings the selected epoch at <paramref name="y"/> on the x of its record in <paramref name="xs"/>. The record is
    /// found by value, not by epoch number: a cut evaluated without training shares its epoch's number.
    /// </summary>
    private static void MarkSelected(Plot plot, ReportedRun run, double[] xs, double y, Color color)
    {
        int index = -1;
        for (int e = 0; e < run.Summary.Epochs.Count; e++)
        {
            if (run.Summary.Epochs[e] == run.Summary.Best || (index < 0 && run.Summary.Epochs[e].Epoch == run.Summary.Best.Epoch))
            {
                index = e;
            }
        }

        if (index < 0 || !double.IsFinite(xs[index]) || !double.IsFinite(y))
        {
            return;
        }

        var marker = plot.Add.Marker(xs[index], y, MarkerShape.OpenCircle, 16, color);
        marker.MarkerLineWidth = 2;
    }

    /// <summary>Adds a line through the finite points only, so a missing or diverged value leaves a gap rather than breaking the axes.</summary>
    private static void AddCurve(Plot plot, double[] xs, double?[] ys, Color color, string label, bool dashed)
    {
        var keptX = new List<double>(xs.Length);
        var keptY = new List<double>(xs.Length);
        for (int i = 0; i < xs.Length; i++)
        {
            if (ys[i] is double y && double.IsFinite(y) && double.IsFinite(xs[i]))
            {
                keptX.Add(xs[i]);
                keptY.Add(y);
            }
        }

        if (keptX.Count == 0)
        {
            return;
        }

        var scatter = plot.Add.Scatter(keptX.ToArray(), keptY.ToArray(), color);
        scatter.LegendText = label;
        scatter.LineWidth = 2;
        scatter.MarkerSize = 5;
        scatter.LinePattern = dashed ? LinePattern.Dashed : LinePattern.Solid;
    }

    /// <summary>The loss axis' label: the task's loss, and for regression its units (the network trains on standardised targets).</summary>
    internal static string LossAxis(IReadOnlyList<ReportedRun> runs)
    {
        string name = ReportMarkdown.LossName(runs);
        return runs.Any(r => r.Summary.Task == LearningTask.Regression) ? $"{name} (standardised targets)" : $"{name} loss";
    }

    private static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static void Save(Plot plot, string path) => plot.SavePng(path, Width, Height);

    private static Color ColorOf(int index) => new ScottPlot.Palettes.Category10().GetColor(index);

    private static (double Scale, string Unit) FlopUnit(double largest) => largest switch
    {
        >= 1e15 => (1e15, "PFLOP"),
        >= 1e12 => (1e12, "TFLOP"),
        >= 1e9 => (1e9, "GFLOP"),
        >= 1e6 => (1e6, "MFLOP"),
        _ => (1, "FLOP"),
    };
}
