namespace Occam.Pruning;

/// <summary>
/// Random pruning, the ablation control: in every prunable tensor, round(fraction × alive) alive weights chosen
/// uniformly at random. The choice depends only on the seed, the tensor and how many weights are alive, so a run is
/// reproducible and one instance can serve several runs.
/// </summary>
public sealed class RandomCriterion : IPruningCriterion
{
    private readonly int _seed;
    private int[] _alive = [];

    /// <summary>Creates the criterion with a seed.</summary>
    public RandomCriterion(int seed = 1) => _seed = seed;

    /// <inheritdoc />
    public string Name => "random";

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

            var mask = masks.Mask(t);
            var indices = PruningSelection.Ensure(ref _alive, alive);
            int n = 0;
            for (int i = 0; i < mask.Length; i++)
            {
                if (mask[i] != 0f)
                {
                    indices[n++] = i;
                }
            }

            var random = new Random(unchecked((_seed * 1_000_003) ^ (t * 7919) ^ (int)alive));
            // Partial Fisher–Yates: the first `count` slots become a uniform random sample.
            for (int j = 0; j < count; j++)
            {
                int k = random.Next(j, n);
                (indices[j], indices[k]) = (indices[k], indices[j]);
                mask[indices[j]] = 0f;
            }
        }
    }
}
