namespace Occam.Data;

/// <summary>Seeded, deterministic train / held-out splits of example indices.</summary>
public static class Splits
{
    /// <summary>
    /// A stratified split: within each class, a seeded shuffle puts round(<paramref name="fraction"/> × class size)
    /// examples in the held-out part. Both index lists are returned in ascending order.
    /// </summary>
    public static (int[] Train, int[] Holdout) Stratified(ReadOnlySpan<int> labels, double fraction, int seed)
    {
        CheckFraction(fraction);
        int classes = 0;
        foreach (int label in labels)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(label, nameof(labels));
            classes = Math.Max(classes, label + 1);
        }

        var byClass = new List<int>[classes];
        for (int c = 0; c < classes; c++)
        {
            byClass[c] = [];
        }

        for (int i = 0; i < labels.Length; i++)
        {
            byClass[labels[i]].Add(i);
        }

        var random = new Random(seed);
        var holdout = new List<int>();
        var train = new List<int>();
        foreach (var members in byClass)
        {
            var indices = members.ToArray();
            random.Shuffle(indices);
            int take = (int)Math.Round(fraction * indices.Length, MidpointRounding.AwayFromZero);
            holdout.AddRange(indices.AsSpan(0, take));
            train.AddRange(indices.AsSpan(take));
        }

        return Sorted(train, holdout);
    }

    /// <summary>A plain seeded split of <paramref name="count"/> examples (for sequences, where classes do not apply).</summary>
    public static (int[] Train, int[] Holdout) Random(int count, double fraction, int seed)
    {
        CheckFraction(fraction);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var indices = new int[count];
        for (int i = 0; i < count; i++)
        {
            indices[i] = i;
        }

        new Random(seed).Shuffle(indices);
        int take = (int)Math.Round(fraction * count, MidpointRounding.AwayFromZero);
        return Sorted([.. indices.AsSpan(take)], [.. indices.AsSpan(0, take)]);
    }

    private static (int[] Train, int[] Holdout) Sorted(List<int> train, List<int> holdout)
    {
        int[] t = [.. train];
        int[] h = [.. holdout];
        Array.Sort(t);
        Array.Sort(h);
        return (t, h);
    }

    private static void CheckFraction(double fraction)
    {
        if (!(fraction >= 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), "The held-out fraction must be in [0, 1).");
        }
    }
}
