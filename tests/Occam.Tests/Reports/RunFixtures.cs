using System.Globalization;
using Occam.Training;

namespace Occam.Tests.Reports;

/// <summary>Writes small, plausible run directories (summary.json + epochs.jsonl) through the library's run records.</summary>
public static class RunFixtures
{
    public static string NewTemporaryDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "occam-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>
    /// A run of <paramref name="epochs"/> epochs, written by the library's <see cref="RunRecorder"/> as a training run
    /// writes it; pruning methods halve density towards 0.2, dense stays at 1.
    /// </summary>
    public static RunSummary WriteRun(string directory, string method, int epochs = 5, bool prunes = true)
    {
        const long total = 100_000;
        const long flops = 6_000_000_000;
        var records = new List<EpochRecord>();
        double density = 1;
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            double holdout = 0.9 / epoch + (prunes ? 0.25 : 0.3) + (epoch > 3 ? 0.02 * (epoch - 3) : 0);
            records.Add(new EpochRecord
            {
                Epoch = epoch,
                TrainLoss = holdout - 0.05,
                HoldoutLoss = holdout,
                TestLoss = holdout + 0.01,
                TestAccuracy = 0.8 + (0.02 * epoch),
                NonzeroParams = (long)Math.Round(total * density),
                TotalParams = total,
                Density = density,
                PruneRate = prunes ? 0.4 : 0,
                Zeta = prunes && epoch >= 3 ? 0.5 : null,
                TrainSeconds = 1.5,
                TrainFlopsDense = flops,
                TrainFlopsSparse = (long)(flops * density),
            });
            if (prunes)
            {
                density = Math.Max(0.2, density * 0.6);
            }
        }

        var best = records.MinBy(r => r.HoldoutLoss)!;
        var summary = new RunSummary
        {
            Method = method,
            Criterion = "magnitude",
            Epochs = [.. records.Select(r => r with { Selected = r == best })],
            Best = best with { Selected = true },
            SelectedEpoch = best.Epoch,
            TotalParams = total,
            TotalTrainSeconds = 1.5 * epochs,
            TotalTrainFlopsSparse = records.Sum(r => r.TrainFlopsSparse),
            InferenceFlops = 2 * best.NonzeroParams,
        };
        new RunRecorder(directory).RecordSummary(summary);
        return summary;
    }

    /// <summary>A comparison: one subdirectory per method.</summary>
    public static void WriteComparison(string directory, int epochs = 5)
    {
        WriteRun(Path.Combine(directory, "dense"), "dense", epochs, prunes: false);
        WriteRun(Path.Combine(directory, "occam"), "occam", epochs);
        WriteRun(Path.Combine(directory, "posthoc"), "posthoc", epochs, prunes: false);
    }

    public static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
