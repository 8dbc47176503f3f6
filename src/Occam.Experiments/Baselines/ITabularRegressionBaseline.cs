using Occam.Tensors;

namespace Occam.Baselines;

/// <summary>A tree-ensemble reference regressor that the regression benchmarks compare Occam's networks against.</summary>
public interface ITabularRegressionBaseline
{
    /// <summary>Short name used in reports and JSON keys (e.g. <c>rf</c>, <c>gbdt</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Trains on <paramref name="features"/> (flattened to [N, F]) and one finite target per row, in any units; the
    /// model predicts in those units. The same data and seed give the same model and the same predictions.
    /// </summary>
    TrainedRegressor Fit(Tensor features, ReadOnlySpan<float> targets, int seed);
}
