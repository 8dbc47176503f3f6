namespace Occam.Layers;

/// <summary>Which kernels a layer with a prunable weight runs.</summary>
public enum KernelPath
{
    /// <summary>Sparse kernels where <see cref="KernelCalibration"/> measured them faster on this CPU for the mask's density, else dense.</summary>
    Automatic,

    /// <summary>Always the dense GEMM (pruned weights are zeros in it).</summary>
    Dense,

    /// <summary>Always the sparse kernels (a weight without a mask counts as fully alive).</summary>
    Sparse,
}
