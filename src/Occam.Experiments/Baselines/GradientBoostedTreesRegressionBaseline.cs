using Microsoft.ML;
using Microsoft.ML.Trainers.LightGbm;
using Occam.Tensors;

namespace Occam.Baselines;

/// <summary>
/// Gradient-boosted regression trees: ML.NET's LightGBM regression trainer (squared-error objective), with the same
/// settings and deterministic mode as the classification booster; the seed does not change the model.
/// </summary>
/// <param name="roundCount">Boosting rounds, one tree each.</param>
/// <param name="leafCount">Maximum leaves per tree (LightGBM's default).</param>
/// <param name="minimumExamplesPerLeaf">Lower than LightGBM's 20 so small datasets still split.</param>
/// <param name="learningRate">Shrinkage per round.</param>
/// <param name="threadCount">Training threads; results do not depend on it.</param>
public sealed class GradientBoostedTreesRegressionBaseline(
    int roundCount = 100,
    int leafCount = 31,
    int minimumExamplesPerLeaf = 5,
    double learningRate = 0.1,
    int threadCount = 1) : ITabularRegressionBaseline
{
    private readonly BoosterSettings _booster = new(roundCount, leafCount, minimumExamplesPerLeaf, learningRate, threadCount);

    /// <inheritdoc />
    public string Name => "gbdt";

    /// <inheritdoc />
    public TrainedRegressor Fit(Tensor features, ReadOnlySpan<float> targets, int seed) =>
        TrainedRegressor.Fit(Name, features, targets, seed, context =>
            context.Regression.Trainers.LightGbm(_booster.Apply(new LightGbmRegressionTrainer.Options(), seed)));
}
