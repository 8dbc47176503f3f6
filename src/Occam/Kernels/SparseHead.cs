namespace Occam.Kernels;

/// <summary>
/// A narrow layer that <see cref="SparseLinear.Forward"/> applies to its own output while each tile of it is in cache:
/// Z[n, Pattern.Rows] = Y · Hᵀ (+ <see cref="Bias"/>), with H the sparse [Pattern.Rows, Y's features] matrix
/// <see cref="Pattern"/> whose values are <see cref="Values"/> (CSR order). Y is then never written out: at inference
/// a classifier head over a sparse hidden layer (1024 → 10) saves the hidden activations' round trip through memory.
/// </summary>
/// <param name="Pattern">Where H's live entries are (rows: the head's outputs; columns: the sparse layer's outputs).</param>
/// <param name="Values">H's live values in CSR order.</param>
/// <param name="Bias">The head's bias [Pattern.Rows], or empty for none.</param>
/// <param name="Output">Z, row-major [n, Pattern.Rows].</param>
internal readonly record struct SparseHead(SparsePattern Pattern, ReadOnlyMemory<float> Values, ReadOnlyMemory<float> Bias, Memory<float> Output);
