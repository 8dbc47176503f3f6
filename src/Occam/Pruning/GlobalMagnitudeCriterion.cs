namespace Occam.Pruning;

/// <summary>
/// Global magnitude: one threshold across all prunable tensors. The round(fraction × total alive) alive weights with
/// the smallest absolute value anywhere in the model are pruned; ties go in (tensor, index) order. Layers with small
/// weights (typically the wide ones) lose more than the fraction, small layers less.
/// </summary>
public sealed class GlobalMagnitudeCriterion : IPruningCriterion
{
    private long[] _keys = [];
    private long[] _offsets = [];

    /// <inheritdoc />
    public string Name => "global-magnitude";

    /// <inheritdoc />
    public void Prune(PruningMasks masks, double fraction)
    {
        ArgumentNullException.ThrowIfNull(masks);
        long count = PruningMasks.CountToPrune(fraction, masks.TotalAlive);
        if (count == 0)
        {
            return;
        }

        if (masks.TotalPrunable > uint.MaxValue)
        {
            throw new InvalidOperationException("Global magnitude pruning supports at most 2^32 prunable weights.");
        }

        int tensors = masks.Parameters.Count;
        var offsets = PruningSelection.Ensure(ref _offsets, tensors + 1);
        var keys = PruningSelection.Ensure(ref _keys, masks.TotalAlive);
        int n = 0;
        long offset = 0;
        for (int t = 0; t < tensors; t++)
        {
            offsets[t] = offset;
            var weights = masks.Parameters[t].Value.Span;
            var mask = masks.Mask(t);
            for (int i = 0; i < weights.Length; i++)
            {
                if (mask[i] != 0f)
                {
                    keys[n++] = PruningSelection.Key(MathF.Abs(weights[i]), (uint)(offset + i));
                }
            }

            offset += weights.Length;
        }

        offsets[tensors] = offset;
        var selected = keys.AsSpan(0, n);
        selected.Sort();
        for (int j = 0; j < count; j++)
        {
            long position = PruningSelection.Position(selected[j]);
            int t = TensorOf(offsets.AsSpan(0, tensors + 1), position);
            masks.Mask(t)[(int)(position - offsets[t])] = 0f;
        }
    }

    private static int TensorOf(ReadOnlySpan<long> offsets, long position)
    {
        int lo = 0, hi = offsets.Length - 2;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if (offsets[mid] <= position)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo;
    }
}
