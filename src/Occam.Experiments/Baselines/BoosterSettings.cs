using Microsoft.ML.Trainers.LightGbm;

namespace Occam.Baselines;

/// <summary>
/// The LightGBM settings every boosted baseline shares (binary, multiclass, regression), applied to any trainer's
/// options in LightGBM's deterministic mode.
/// </summary>
internal sealed record BoosterSettings(int RoundCount, int LeafCount, int MinimumExamplesPerLeaf, double LearningRate, int ThreadCount)
{
    /// <summary>Fills <paramref name="options"/> and returns them as the trainer's own options type.</summary>
    public TOptions Apply<TOptions, TOutput, TTransformer, TModel>(
        LightGbmTrainerBase<TOptions, TOutput, TTransformer, TModel>.OptionsBase options, int seed)
        where TOptions : LightGbmTrainerBase<TOptions, TOutput, TTransformer, TModel>.OptionsBase, new()
        where TTransformer : Microsoft.ML.ISingleFeaturePredictionTransformer<TModel>
        where TModel : class
    {
        options.NumberOfIterations = RoundCount;
        options.NumberOfLeaves = LeafCount;
        options.MinimumExampleCountPerLeaf = MinimumExamplesPerLeaf;
        options.LearningRate = LearningRate;
        options.NumberOfThreads = ThreadCount;
        options.Deterministic = true;
        options.Seed = seed;
        options.Silent = true;
        return (TOptions)options;
    }
}
