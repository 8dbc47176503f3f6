using Microsoft.ML.Trainers.FastTree;

namespace Occam.Baselines;

/// <summary>The FastForest settings the classification and regression forests share, applied to either trainer's options.</summary>
internal sealed record ForestSettings(int TreeCount, int LeafCount, int MinimumExamplesPerLeaf, double? FeatureFractionPerSplit, int ThreadCount)
{
    /// <summary>Fills <paramref name="options"/>; <paramref name="defaultFeatureFraction"/> applies when no fraction was chosen.</summary>
    public TOptions Apply<TOptions>(TOptions options, int seed, double defaultFeatureFraction)
        where TOptions : FastForestOptionsBase
    {
        options.NumberOfTrees = TreeCount;
        options.NumberOfLeaves = LeafCount;
        options.MinimumExampleCountPerLeaf = MinimumExamplesPerLeaf;
        options.FeatureFractionPerSplit = FeatureFractionPerSplit ?? defaultFeatureFraction;
        options.NumberOfThreads = ThreadCount;
        options.Seed = seed;
        options.FeatureSelectionSeed = seed;
        return options;
    }
}
