using Occam.Data;

namespace Occam.Benchmarks;

/// <summary>One cell of a tabular sweep: one method on one seed of one data set, with what the report says of the set.</summary>
/// <param name="Dataset">The data set's name.</param>
/// <param name="Rows">Rows in its file.</param>
/// <param name="Features">Model input features after preprocessing.</param>
/// <param name="Classes">Classes (1 for regression).</param>
/// <param name="Task">Classification or regression.</param>
/// <param name="Result">The method's figures on the seed.</param>
public sealed record TabularCellResult(string Dataset, int Rows, int Features, int Classes, LearningTask Task, TabularSeedResult Result);

/// <summary>The tabular benchmark as a sweep: cells are data set × seed × method; the report is built from the cells alone.</summary>
public static class TabularSweep
{
    /// <summary>
    /// The per-set results of <paramref name="manifest"/>'s grid from its cells' results, in the grid's order: what an
    /// unsharded run reports, whichever processes computed the cells.
    /// </summary>
    public static IReadOnlyList<TabularBenchmarkResult> Results(SweepManifest manifest, Func<SweepCell, TabularCellResult> cellResult)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(cellResult);
        var results = new List<TabularBenchmarkResult>();
        foreach (var set in manifest.Grid().GroupBy(c => c.Group))
        {
            var cells = set.Select(cellResult).ToList();
            var methods = new Dictionary<string, TabularMethodResult>();
            foreach (var method in cells.GroupBy(c => c.Result.Method))
            {
                methods[method.Key] = TabularMethodResult.FromSeeds([.. method.Select(c => c.Result)]);
            }

            var first = cells[0];
            results.Add(new TabularBenchmarkResult(set.Key, first.Rows, first.Features, first.Classes, methods, first.Task));
        }

        return results;
    }
}
