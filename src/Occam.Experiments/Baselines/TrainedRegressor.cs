using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Occam.Tensors;

namespace Occam.Baselines;

/// <summary>A fitted regression baseline: predicts one value per row, in the units of the training targets.</summary>
public sealed class TrainedRegressor
{
    private const string ScoreColumn = "Score";

    private readonly MLContext _context;
    private readonly ITransformer _transformer;
    private readonly int _featureCount;

    private TrainedRegressor(string name, MLContext context, ITransformer transformer, int featureCount, long size, double trainingSeconds)
    {
        Name = name;
        _context = context;
        _transformer = transformer;
        _featureCount = featureCount;
        Size = size;
        TrainingSeconds = trainingSeconds;
    }

    /// <summary>Name of the baseline that produced this model.</summary>
    public string Name { get; }

    /// <summary>Model size: total tree nodes, internal nodes plus leaves, summed over every tree.</summary>
    public long Size { get; }

    /// <summary>Wall-clock seconds the fit took, building ML.NET's data view included.</summary>
    public double TrainingSeconds { get; }

    /// <summary>One prediction per row of <paramref name="features"/> (flattened to [N, F], F as in training).</summary>
    public float[] Predict(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.RowLength != _featureCount)
        {
            throw new ArgumentException($"Rows hold {features.RowLength} features; the model was trained on {_featureCount}.", nameof(features));
        }

        var predictions = new float[features.Batch];
        int row = 0;
        foreach (float score in _transformer.Transform(MlData.Unlabelled(_context, features)).GetColumn<float>(ScoreColumn))
        {
            predictions[row++] = score;
        }

        return predictions;
    }

    /// <summary>
    /// Checks the data, fits the trainer that <paramref name="createTrainer"/> builds in a context seeded with
    /// <paramref name="seed"/>, and sizes the fitted ensemble.
    /// </summary>
    internal static TrainedRegressor Fit<TModel>(string name, Tensor features, ReadOnlySpan<float> targets, int seed,
        Func<MLContext, IEstimator<RegressionPredictionTransformer<TModel>>> createTrainer)
        where TModel : class
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Batch == 0)
        {
            throw new ArgumentException("A regression baseline needs at least one training row.", nameof(features));
        }

        if (targets.Length != features.Batch)
        {
            throw new ArgumentException($"{targets.Length} targets for {features.Batch} rows.", nameof(targets));
        }

        foreach (float target in targets)
        {
            if (!float.IsFinite(target))
            {
                throw new ArgumentException($"Target {target} is not a finite number.", nameof(targets));
            }
        }

        var clock = Stopwatch.StartNew();
        var context = new MLContext(seed);
        var model = createTrainer(context).Fit(MlData.Regression(context, features, targets));
        return new TrainedRegressor(name, context, model, features.RowLength, TreeNodes.Count(model.Model), clock.Elapsed.TotalSeconds);
    }
}
