using Occam.Reports;
using Occam.Training;

namespace Occam.Tests.Reports;

public sealed class RunReportTests : IDisposable
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly string _root = RunFixtures.NewTemporaryDirectory();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void AComparisonReportHasTheTableAndValidPlots()
    {
        RunFixtures.WriteComparison(_root, epochs: 6);
        string report = RunReport.Write(_root);

        Assert.Equal(Path.Combine(_root, RunReport.ReportFileName), report);
        string markdown = File.ReadAllText(report);
        Assert.Contains("| Method | Selected epoch | Test loss | Test accuracy | Density |", markdown, StringComparison.Ordinal);
        foreach (string method in new[] { "dense", "occam", "posthoc" })
        {
            Assert.Contains($"| {method} | ", markdown, StringComparison.Ordinal);
            Assert.Contains($"### {method}", markdown, StringComparison.Ordinal);
        }

        foreach (string plot in new[] { ReportPlots.LossFileName, ReportPlots.DensityFileName, ReportPlots.LossAgainstFlopsFileName })
        {
            Assert.Contains($"]({plot})", markdown, StringComparison.Ordinal);
            AssertValidPng(Path.Combine(_root, plot));
        }

        Assert.Empty(Directory.GetDirectories(_root, ".report-staging-*"));
    }

    [Fact]
    public void TheSelectedRowShowsTheBestEpochFigures()
    {
        RunFixtures.WriteRun(_root, "occam", epochs: 5);
        var run = Assert.Single(ReportedRun.ReadAll(_root));
        string markdown = ReportMarkdown.Build([run], [], "t");
        string row = markdown.Split('\n').Single(l => l.StartsWith("| occam |", StringComparison.Ordinal));
        string[] cells = row.Split('|', StringSplitOptions.TrimEntries);
        Assert.Equal(run.Summary.Best.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture), cells[2]);
        Assert.Equal(run.Summary.Best.TestLoss!.Value.ToString("F4", System.Globalization.CultureInfo.InvariantCulture), cells[3]);
        Assert.EndsWith("%", cells[5], StringComparison.Ordinal);
    }

    [Fact]
    public void TheSelectionRuleIsStatedPerMethod()
    {
        RunFixtures.WriteComparison(_root);
        string markdown = ReportMarkdown.Build(ReportedRun.ReadAll(_root), [], "t");
        string[] lines = markdown.Split('\n');

        // occam selects by its controller, which may keep an epoch whose held-out loss is not the lowest.
        string occam = lines.Single(l => l.StartsWith("- occam: ", StringComparison.Ordinal));
        Assert.Contains("not simply the lowest held-out loss", occam, StringComparison.Ordinal);
        Assert.Equal("- dense: the lowest held-out loss", lines.Single(l => l.StartsWith("- dense: ", StringComparison.Ordinal)).TrimEnd());
        Assert.Contains("after the cut", lines.Single(l => l.StartsWith("- posthoc: ", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.DoesNotContain("Each run's selected epoch is the one with the lowest held-out loss", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void ARegressionReportNamesItsLossAndItsUnits()
    {
        var summary = RunFixtures.WriteRun(_root, "dense", prunes: false);
        new RunRecorder(_root).RecordSummary(summary with { Task = Occam.Data.LearningTask.Regression, Loss = "huber" });
        var runs = ReportedRun.ReadAll(_root);

        Assert.Equal("Huber loss (standardised targets)", ReportPlots.LossAxis(runs));
        string markdown = File.ReadAllText(RunReport.Write(_root));
        Assert.DoesNotContain("cross-entropy", markdown, StringComparison.Ordinal);
        Assert.Contains("Losses are Huber loss on standardised targets", markdown, StringComparison.Ordinal);
        Assert.Contains("| Method | Selected epoch | Test loss (standardised) | Test RMSE | Test R² |", markdown, StringComparison.Ordinal);
        Assert.Contains("| Epoch | Train loss (standardised) | Held-out loss (standardised) | Test loss (standardised) |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void AClassificationReportsLossIsCrossEntropy()
    {
        RunFixtures.WriteComparison(_root);
        Assert.Equal("cross-entropy loss", ReportPlots.LossAxis(ReportedRun.ReadAll(_root)));
    }

    [Fact]
    public void EveryPlotRingsEachRunsSelectedEpoch()
    {
        RunFixtures.WriteComparison(_root, epochs: 12);
        var runs = ReportedRun.ReadAll(_root);
        foreach (var run in runs)
        {
            // The fixtures' held-out loss falls to its lowest at epoch 7, then rises: the ring must not sit at the last epoch.
            Assert.NotEqual(run.Summary.Epochs[^1].Epoch, run.Summary.Best.Epoch);
        }

        double[] cumulativeFlops = [.. runs.Select(r => r.Summary.Epochs.Where(e => e.Epoch <= r.Summary.Best.Epoch).Sum(e => e.TrainFlopsSparse) / 1e9)];
        AssertRings(ReportPlots.LossPerEpoch(runs), [.. runs.Select(r => (double)r.Summary.Best.Epoch)], [.. runs.Select(r => r.Summary.Best.HoldoutLoss)]);
        AssertRings(ReportPlots.DensityPerEpoch(runs), [.. runs.Select(r => (double)r.Summary.Best.Epoch)], [.. runs.Select(r => r.Summary.Best.Density)]);
        AssertRings(ReportPlots.LossAgainstFlops(runs), cumulativeFlops, [.. runs.Select(r => r.Summary.Best.HoldoutLoss)]);
    }

    [Fact]
    public void APosthocRunIsDrawnAtTheFlopsOfTheDenseTrainingItStartsFrom()
    {
        RunFixtures.WriteComparison(_root, epochs: 12);
        long dense = RunSummary.Read(Path.Combine(_root, "dense")).TotalTrainFlopsSparse;
        Assert.True(dense > 0);

        // As Comparison writes it: the posthoc run's total includes the dense run's, its epochs only its own fine-tuning.
        string posthoc = Path.Combine(_root, "posthoc");
        var summary = RunSummary.Read(posthoc);
        new RunRecorder(posthoc).RecordSummary(summary with { TotalTrainFlopsSparse = dense + summary.TotalTrainFlopsSparse });

        var runs = ReportedRun.ReadAll(_root);
        double[] expected = [.. runs.Select(r => ((r.Summary.Method == "posthoc" ? dense : 0)
            + r.Summary.Epochs.Where(e => e.Epoch <= r.Summary.Best.Epoch).Sum(e => e.TrainFlopsSparse)) / 1e9)];
        AssertRings(ReportPlots.LossAgainstFlops(runs), expected, [.. runs.Select(r => r.Summary.Best.HoldoutLoss)]);
        Assert.Contains(runs, r => r.Summary.Method == "posthoc");
    }

    private static void AssertRings(ScottPlot.Plot plot, double[] xs, double[] ys)
    {
        var rings = plot.GetPlottables<ScottPlot.Plottables.Marker>().ToArray();
        Assert.Equal(xs.Length, rings.Length);
        for (int i = 0; i < xs.Length; i++)
        {
            Assert.Equal(xs[i], rings[i].Location.X, 9);
            Assert.Equal(ys[i], rings[i].Location.Y, 9);
        }
    }

    [Fact]
    public void ASingleRunReportCanGoElsewhere()
    {
        string run = Path.Combine(_root, "run");
        string output = Path.Combine(_root, "out");
        RunFixtures.WriteRun(run, "occam");
        RunReport.Write(run, output);
        Assert.True(File.Exists(Path.Combine(output, RunReport.ReportFileName)));
        Assert.False(File.Exists(Path.Combine(run, RunReport.ReportFileName)));
        AssertValidPng(Path.Combine(output, ReportPlots.LossFileName));
    }

    [Fact]
    public void AFailedReportLeavesNothingBehind()
    {
        RunFixtures.WriteRun(_root, "occam");
        string before = string.Join(',', Directory.GetFileSystemEntries(_root).Order(StringComparer.Ordinal));
        File.WriteAllText(Path.Combine(_root, RunRecorder.SummaryFileName), "{\"method\": \"occam\"");
        Assert.Throws<InvalidDataException>(() => RunReport.Write(_root));
        Assert.Equal(before, string.Join(',', Directory.GetFileSystemEntries(_root).Order(StringComparer.Ordinal)));
    }

    private static void AssertValidPng(string path)
    {
        Assert.True(File.Exists(path), path);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 5_000, $"{path} is only {bytes.Length} bytes");
        Assert.Equal(PngSignature, bytes[..8]);

        // IHDR: width and height, big-endian, right after the signature and chunk header.
        int width = (bytes[16] << 24) | (bytes[17] << 16) | (bytes[18] << 8) | bytes[19];
        int height = (bytes[20] << 24) | (bytes[21] << 16) | (bytes[22] << 8) | bytes[23];
        Assert.Equal((900, 560), (width, height));
    }
}
