namespace Occam.Pruning;

/// <summary>
/// Structured pruning of whole output units: the rows of a Dense weight [out, in] (neurons) or the first dimension of
/// a Conv2D kernel [F, C, k, k] (output channels). In every prunable tensor, round(fraction × alive rows) of the rows
/// that still have an alive weight are pruned, smallest L2 norm first, ties in row order. A rank-1 tensor counts each
/// element as a row.
/// </summary>
public sealed class StructuredCriterion : IPruningCriterion
{
    private long[] _keys = [];

    /// <inheritdoc />
    public string Name => "structured";

    /// <inheritdoc />
    public void Prune(PruningMasks masks, double fraction)
    {
        ArgumentNullException.ThrowIfNull(masks);
        for (int t = 0; t < masks.Parameters.Count; t++)
        {
            var value = masks.Parameters[t].Value;
            int rows = value.Dim(0);
            if (rows == 0)
            {
                continue;
            }

            int rowLength = value.Length / rows;
            var weights = value.Span;
            var mask = masks.Mask(t);
            var keys = PruningSelection.Ensure(ref _keys, rows);
            int aliveRows = 0;
            for (int r = 0; r < rows; r++)
            {
                var rowMask = mask.Slice(r * rowLength, rowLength);
                if (TensorPrimitives.MaxMagnitude<float>(rowMask) == 0f)
                {
                    continue;
                }

                // Pruned weights are exactly zero, so the plain norm is the norm of the alive part.
                float norm = TensorPrimitives.Norm<float>(weights.Slice(r * rowLength, rowLength));
                keys[aliveRows++] = PruningSelection.Key(norm, (uint)r);
            }

            long count = PruningMasks.CountToPrune(fraction, aliveRows);
            if (count == 0)
            {
                continue;
            }

            var selected = keys.AsSpan(0, aliveRows);
            selected.Sort();
            for (int j = 0; j < count; j++)
            {
                int row = (int)PruningSelection.Position(selected[j]);
                mask.Slice(row * rowLength, rowLength).Clear();
            }
        }
    }
}
