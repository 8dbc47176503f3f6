using Occam.Data;

namespace Occam.Baselines;

/// <summary>A tree-ensemble reference model that the benchmarks compare Occam's networks against.</summary>
public interface ITabularBaseline
{
    /// <summary>Short name used in reports and JSON keys (e.g. <c>rf</c>, <c>gbdt</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Trains on <paramref name="train"/> (features flattened to [N, F], labels are class ids in [0, ClassCount)).
    /// The same data and seed give the same model and the same probabilities.
    /// </summary>
    TrainedBaseline Fit(Dataset train, int seed);
}
