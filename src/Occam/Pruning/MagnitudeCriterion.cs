namespace Occam.Pruning;

/// <summary>
/// The paper's criterion: per-layer magnitude. In every prunable tensor, among its alive weights, the
/// round(fraction × alive) with the smallest absolute value are pruned; equal magnitudes go in index order.
/// </summary>
public sealed class MagnitudeCriterion : IPruningCriterion
{
    private long[] _keys = [];

    /// <inheritdoc />
    public string Name => "magnitude";

    /// <inheritdoc />
    public void Prune(PruningMasks masks, double fraction)
    {
        ArgumentNullException.ThrowIfNull(masks);
        for (int t = 0; t < masks.Parameters.Count; t++)
        {
            long alive = masks.AliveCount(t);
            long count = PruningMasks.CountToPrune(fraction, alive);
            if (count == 0)
            {
                continue;
            }

            var weights = masks.Parameters[t].Value.Span;
            var mask = masks.Mask(t);
            var keys = PruningSelection.Ensure(ref _keys, alive);
            int n = 0;
            for (int i = 0; i < weights.Length; i++)
            {
                if (mask[i] != 0f)
                {
                    keys[n++] = PruningSelection.Key(MathF.Abs(weights[i]), (uint)i);
                }
            }

            var selected = keys.AsSpan(0, n);
            selected.Sort();
            for (int j = 0; j < count; j++)
            {
                mask[(int)PruningSelection.Position(selected[j])] = 0f;
            }
        }
    }
}
