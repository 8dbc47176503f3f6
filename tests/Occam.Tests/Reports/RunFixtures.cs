using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Occam.Tests.Reports;

/// <summary>Writes small, plausible run directories (summary.json + epochs.jsonl) in the run-record format.</summary>
public static class RunFixtures
{
    public static string NewTemporaryDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "occam-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A run of <paramref name="epochs"/> epochs; pruning methods halve density towards 0.2, dense stays at 1.</summary>
    public static void WriteRun(string directory, string method, int epochs = 5, bool prunes = true, bool summaryHoldsEpochs = false)
    {
        Directory.CreateDirectory(directory);
        const long total = 100_000;
        var records = new List<JsonObject>();
        double density = 1;
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            double holdout = 0.9 / epoch + (prunes ? 0.25 : 0.3) + (epoch > 3 ? 0.02 * (epoch - 3) : 0);
            long nonzero = (long)Math.Round(total * density);
            records.Add(new JsonObject
            {
                ["epoch"] = epoch,
                ["train_loss"] = holdout - 0.05,
                ["holdout_loss"] = holdout,
                ["test_loss"] = holdout + 0.01,
                ["test_accuracy"] = 0.8 + (0.02 * epoch),
                ["nonzero_params"] = nonzero,
                ["total_params"] = total,
                ["density"] = density,
                ["prune_rate"] = prunes ? 0.4 : null,
                ["zeta"] = prunes && epoch >= 3 ? 0.5 : null,
                ["train_seconds"] = 1.5,
                ["train_flops_dense"] = 6e9,
                ["train_flops_sparse"] = 6e9 * density,
            });
            if (prunes)
            {
                density = Math.Max(0.2, density * 0.6);
            }
        }

        var best = records.OrderBy(r => (double)r["holdout_loss"]!).First();
        var summary = new JsonObject
        {
            ["method"] = method,
            ["epochs"] = summaryHoldsEpochs ? new JsonArray([.. records.Select(r => r.DeepClone())]) : epochs,
            ["best"] = best.DeepClone(),
            ["total_params"] = total,
            ["total_train_seconds"] = 1.5 * epochs,
            ["total_train_flops_sparse"] = records.Sum(r => (double)r["train_flops_sparse"]!),
            ["inference_flops"] = 2.0 * (long)best["nonzero_params"]!,
        };
        File.WriteAllText(Path.Combine(directory, "summary.json"), summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.WriteAllLines(Path.Combine(directory, "epochs.jsonl"), records.Select(r => r.ToJsonString()));
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
