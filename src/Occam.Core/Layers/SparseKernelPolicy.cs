using Occam.Tensors;

namespace Occam.Layers;

/// <summary>
/// The automatic choice between dense and sparse kernels. The crossovers were measured on the reference machine
/// (docs/PERFORMANCE.md, "Round 4"): over five pairs of <c>occam bench sparse --kernels sparse|dense</c> runs, the median
/// sparse training step (the sparse kernels and the compact optimiser update) beat a masked dense one at density 0.4
/// and below (0.93×; 1.19× at 0.5), the median inference pass at 0.35 and below (1.16× the throughput; 0.93× at 0.4).
/// The inference crossover must not exceed the training one: only a layer below the training crossover keeps the
/// compact copy that inference runs on.
/// </summary>
public static class SparseKernelPolicy
{
    private static double _crossoverDensity = 0.4;
    private static double _inferenceCrossoverDensity = 0.35;

    /// <summary>
    /// Largest weight density (alive fraction) at which <see cref="KernelPath.Automatic"/> keeps a compact copy and
    /// trains on the sparse kernels.
    /// </summary>
    public static double CrossoverDensity
    {
        get => _crossoverDensity;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1.0);
            _crossoverDensity = value;
        }
    }

    /// <summary>
    /// Largest density at which an inference forward pass (of a layer holding a compact copy) runs the sparse kernels;
    /// above it the dense GEMM on the (always current) dense weights is faster.
    /// </summary>
    public static double InferenceCrossoverDensity
    {
        get => _inferenceCrossoverDensity;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1.0);
            _inferenceCrossoverDensity = value;
        }
    }

    /// <summary>Whether a forward pass with compact weights <paramref name="sparse"/> runs the sparse kernels.</summary>
    internal static bool RunsSparse(SparseWeights? sparse, bool training, KernelPath path) =>
        sparse is not null && (training || path == KernelPath.Sparse || sparse.Pattern.Density <= InferenceCrossoverDensity);

    /// <summary>
    /// Smallest weight (in entries) that <see cref="KernelPath.Automatic"/> runs sparse: below it the transposes and the
    /// per-row overhead of the sparse kernels cost more than the dense product they save (measured: the 1024 → 10
    /// output layer's sparse backward took 0.11 ms against 0.03 ms dense).
    /// </summary>
    public static int MinimumWeights { get; set; } = 16_384;

    /// <summary>
    /// Returns the compact weights the layer should run on (null: run dense), rebuilding them when
    /// <paramref name="weight"/> changed since the last call. <paramref name="weight"/> is viewed as [rows, columns].
    /// </summary>
    internal static SparseWeights? Select(Parameter weight, int rows, int columns, KernelPath path, ref (long Version, KernelPath Path) decided)
    {
        var current = weight.Sparse;
        if (decided.Version == weight.Version && decided.Path == path && (current is null || current.IsCurrent(weight)))
        {
            return current;
        }

        bool sparse = path switch
        {
            KernelPath.Sparse => true,
            KernelPath.Dense => false,
            _ => weight.Length >= MinimumWeights && weight.Mask is { } mask
                && TensorPrimitives.Sum<float>(mask.Span) <= CrossoverDensity * weight.Length,
        };
        weight.Sparse = sparse ? SparseWeights.Build(weight, rows, columns) : null;
        decided = (weight.Version, path);
        return weight.Sparse;
    }
}
