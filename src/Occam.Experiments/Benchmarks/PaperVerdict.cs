using System.Globalization;
using System.Text;
using Occam.Pruning;

namespace Occam.Benchmarks;

/// <summary>The "where Occam loses" line of each <see cref="PaperBenchmark"/> experiment, computed from its figures.</summary>
public static class PaperVerdict
{
    /// <summary>
    /// The methods with a lower test loss or a higher test accuracy than Occam, with their figures, and Occam's training
    /// time relative to dense gradient descent. Rows that are the dense run's (Occam kept every weight) are named
    /// once as such rather than compared again.
    /// </summary>
    public static string Network(IReadOnlyList<PaperMethodRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var inv = CultureInfo.InvariantCulture;
        var occam = rows.Single(r => r.Method == PruningMethods.Occam.Name);
        var others = rows.Where(r => r.Method != PruningMethods.Occam.Name && r.SameAsDense < 1).ToList();
        var lowerLoss = others.Where(r => r.TestLoss < occam.TestLoss).OrderBy(r => r.TestLoss).ToList();
        var higherAccuracy = others.Where(r => r.TestAccuracy > occam.TestAccuracy).OrderByDescending(r => r.TestAccuracy).ToList();
        var text = new StringBuilder();
        text.Append(inv, $"Occam (test loss {occam.TestLoss:F4}, accuracy {occam.TestAccuracy:P2}, density {occam.Density:P1}) ");
        if (lowerLoss.Count == 0 && higherAccuracy.Count == 0)
        {
            text.Append("has the lowest test loss and the highest accuracy here");
        }
        else
        {
            var clauses = new List<string>();
            if (lowerLoss.Count > 0)
            {
                clauses.Add("on test loss to " + List(lowerLoss, r => r.TestLoss.ToString("F4", inv)));
            }

            if (higherAccuracy.Count > 0)
            {
                clauses.Add("on accuracy to " + List(higherAccuracy, r => r.TestAccuracy.ToString("P2", inv)));
            }

            text.Append("loses ").AppendJoin(" and ", clauses);
        }

        if (rows.FirstOrDefault(r => r.Method == PruningMethods.Dense.Name) is { TrainSeconds: > 0 } dense)
        {
            text.Append(inv, $"; it trains {occam.TrainSeconds / dense.TrainSeconds:F2}× as long as dense GD");
        }

        var reused = rows.Where(r => r.SameAsDense >= 1).Select(r => r.Method).ToList();
        if (reused.Count > 0)
        {
            text.Append("; ").AppendJoin(", ", reused).Append(reused.Count == 1 ? " is" : " are").Append(" the dense run, since Occam kept every weight");
        }

        return text.Append('.').ToString();
    }

    /// <summary>
    /// Per method, on how many sets its mean test log-loss (and accuracy) beats Occam's, with the largest gap and its set.
    /// </summary>
    public static string Tabular(IReadOnlyList<TabularBenchmarkResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var inv = CultureInfo.InvariantCulture;
        var methods = results.SelectMany(r => r.Methods.Keys).Distinct().Where(k => k != "occam").Order(StringComparer.Ordinal).ToList();
        var lossLosses = new List<string>();
        var accuracyLosses = new List<string>();
        foreach (string method in methods)
        {
            var lossGaps = results.Select(r => (r.Dataset, Gap: r.Methods["occam"].MeanLogLoss - r.Methods[method].MeanLogLoss)).Where(g => g.Gap > 0).ToList();
            if (lossGaps.Count > 0)
            {
                var worst = lossGaps.MaxBy(g => g.Gap);
                lossLosses.Add(string.Create(inv, $"{MethodName(method)} on {lossGaps.Count} of {results.Count} sets (largest gap {worst.Gap:F4} on {worst.Dataset})"));
            }

            var accuracyGaps = results.Select(r => (r.Dataset, Gap: r.Methods[method].MeanAccuracy - r.Methods["occam"].MeanAccuracy)).Where(g => g.Gap > 0).ToList();
            if (accuracyGaps.Count > 0)
            {
                var worst = accuracyGaps.MaxBy(g => g.Gap);
                accuracyLosses.Add(string.Create(inv, $"{MethodName(method)} on {accuracyGaps.Count} of {results.Count} sets (largest gap {worst.Gap:P2} on {worst.Dataset})"));
            }
        }

        return string.Create(inv,
            $"Occam's mean test log-loss is beaten by {Join(lossLosses)}; its mean accuracy by {Join(accuracyLosses)}.");
    }

    private static string List(IReadOnlyList<PaperMethodRow> rows, Func<PaperMethodRow, string> figure) =>
        string.Join(", ", rows.Select(r => $"{r.Method} ({figure(r)})"));

    /// <summary>A tabular result key as the method name: "posthoc_finetune" → "posthoc-finetune".</summary>
    private static string MethodName(string key) => key.Replace('_', '-');

    private static string Join(IReadOnlyList<string> parts) => parts.Count == 0 ? "no method" : string.Join("; ", parts);
}
