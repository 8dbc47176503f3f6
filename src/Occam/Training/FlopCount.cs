using Occam.Layers;

namespace Occam.Training;

/// <summary>
/// The FLOP counting rule of run records. Per example, a layer's forward pass costs its multiply-accumulates
/// (<see cref="Layer.MultiplyAccumulates"/>: weight products only, element-wise work not counted), and one MAC is
/// 2 FLOPs. Training costs 3 such products per example (forward, input gradient, weight gradient), so
/// training FLOPs = 3 × 2 × MACs × examples, and inference FLOPs per example = 2 × MACs. "Dense" counts every weight,
/// "sparse" only live (nonzero) ones — the work a sparse kernel would do. Evaluation passes are not counted.
/// </summary>
public static class FlopCount
{
    /// <summary>Training FLOPs of <paramref name="examples"/> examples at <paramref name="multiplyAccumulates"/> MACs each.</summary>
    public static long Training(long multiplyAccumulates, long examples) => checked(3 * 2 * multiplyAccumulates * examples);

    /// <summary>Inference FLOPs per example of <paramref name="model"/>, counting live weights only or all of them.</summary>
    public static long Inference(Layer model, bool liveOnly = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        return 2 * model.MultiplyAccumulates(liveOnly);
    }
}
