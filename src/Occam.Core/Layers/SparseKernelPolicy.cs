using Occam.Tensors;

namespace Occam.Layers;

/// <summary>
/// The automatic choice between dense and sparse kernels. The crossovers were measured on the reference machine
/// (docs/PERFORMANCE.md, "Round 4"): in five pairs of <c>occam bench sparse --kernels sparse|dense</c> runs, a sparse
/// training step (the sparse kernels and the compact optimiser update) beat a masked dense one in every pair at
/// density 0.3 and below (at 0.35 it lost in one of the two runs on a quiet machine), an inference pass at 0.35 and below.
/// </summary>
public static class SparseKernelPolicy
{
    private static double _crossoverDensity = 0.3;
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
