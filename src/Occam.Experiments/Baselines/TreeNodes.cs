using System.Collections;
using System.Reflection;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;

namespace Occam.Baselines;

/// <summary>Counts tree nodes (internal nodes plus leaves) in ML.NET model parameters.</summary>
internal static class TreeNodes
{
    // ML.NET 5 keeps a one-versus-all model's per-class models behind an internal property; reading it is the only
    // way to size a multiclass ensemble. The baseline tests fail if a package update renames it.
    private static readonly PropertyInfo SubModels =
        typeof(OneVersusAllModelParameters).GetProperty("SubModelParameters", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
        ?? throw new InvalidOperationException("OneVersusAllModelParameters.SubModelParameters is missing in this ML.NET version.");

    public static long Count(object modelParameters) => modelParameters switch
    {
        TreeEnsembleModelParametersBasedOnRegressionTree boosted => Sum(boosted.TrainedTreeEnsemble.Trees),
        TreeEnsembleModelParametersBasedOnQuantileRegressionTree forest => Sum(forest.TrainedTreeEnsemble.Trees),
        CalibratedModelParametersBase calibrated => Count(calibrated.SubModel),
        OneVersusAllModelParameters oneVersusAll => SumOver((IEnumerable)SubModels.GetValue(oneVersusAll)!),
        _ => throw new NotSupportedException($"Cannot count tree nodes of {modelParameters.GetType().Name}."),
    };

    private static long SumOver(IEnumerable models)
    {
        long total = 0;
        foreach (object model in models)
        {
            total += Count(model);
        }

        return total;
    }

    private static long Sum<TTree>(IReadOnlyList<TTree> trees)
        where TTree : RegressionTreeBase
    {
        long total = 0;
        foreach (var tree in trees)
        {
            // NumberOfNodes counts the internal (split) nodes only.
            total += tree.NumberOfNodes + tree.NumberOfLeaves;
        }

        return total;
    }
}
