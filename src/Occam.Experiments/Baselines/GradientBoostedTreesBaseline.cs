using Microsoft.ML;
using Microsoft.ML.Trainers.LightGbm;
using Occam.Data;

namespace Occam.Baselines;

/// <summary>
/// Gradient-boosted trees: ML.NET's LightGBM trainers, a softmax multiclass booster (one tree per class per round)
/// or, for two classes, the binary booster with its calibrated probabilities. Trains in LightGBM's deterministic
/// mode, so the same seed gives the same probabilities, whatever the thread count. Without bagging or feature
/// sampling (LightGBM's defaults, kept here) the seed does not change the model at all.
/// </summary>
/// <param name="roundCount">Boosting rounds.</param>
/// <param name="leafCount">Maximum leaves per tree (LightGBM's default).</param>
/// <param name="minimumExamplesPerLeaf">Lower than LightGBM's 20 so 150-row datasets still split.</param>
/// <param name="learningRate">Shrinkage per round.</param>
/// <param name="threadCount">Training threads; results do not depend on it.</param>
public sealed class GradientBoostedTreesBaseline(
    int roundCount = 100,
    int leafCount = 31,
    int minimumExamplesPerLeaf = 5,
    double learningRate = 0.1,
    int threadCount = 1) : ITabularBaseline
{
    private readonly BoosterSettings _booster = new(roundCount, leafCount, minimumExamplesPerLeaf, learningRate, threadCount);

    /// <inheritdoc />
    public string Name => "gbdt";

    /// <inheritdoc />
    public TrainedBaseline Fit(Dataset train, int seed)
    {
        ArgumentNullException.ThrowIfNull(train);
        var layout = ClassLayout.Of(train);
        var context = new MLContext(seed);
        int present = layout.PresentClasses.Length;
        if (present == 1)
        {
            return new TrainedBaseline(Name, context, null, layout, 0);
        }

        if (present == 2)
        {
            var binary = context.BinaryClassification.Trainers.LightGbm(_booster.Apply(new LightGbmBinaryTrainer.Options(), seed))
                .Fit(MlData.Binary(context, train, layout.PresentClasses[1]));
            return new TrainedBaseline(Name, context, binary, layout, TreeNodes.Count(binary.Model));
        }

        var multiclass = context.MulticlassClassification.Trainers
            .LightGbm(_booster.Apply(new LightGbmMulticlassTrainer.Options { UseSoftmax = true }, seed))
            .Fit(MlData.Multiclass(context, train, layout));
        return new TrainedBaseline(Name, context, multiclass, layout, TreeNodes.Count(multiclass.Model));
    }
}
