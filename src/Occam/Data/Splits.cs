namespace Occam.Data;

/// <summary>Seeded, deterministic index splits.</summary>
public static class Splits
{
    /// <summary>
    /// Splits example indices into a training part and a holdout part of about <paramref name="fraction"/>, class by
    /// class, so both parts keep the class proportions. A class with at least two examples puts at least one in each
    /// part (when 0 &lt; fraction &lt; 1); a class with one example keeps it in the training part. Both arrays are
    /// sorted ascending, disjoint, and together cover every index. The same labels, fraction and seed always give
    /// the same split.
    /// </summary>
    /// <param name="labels">One non-negative class label per example.</param>
    /// <param name="fraction">Holdout share in [0, 1].</param>
    /// <param name="seed">Seed of the shuffle within each class.</param>
    public static (int[] Train, int[] Holdout) Stratified(ReadOnlySpan<int> labels, double fraction, int seed)
    {
        if (!(fraction >= 0 && fraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The holdout fraction must lie in [0, 1].");
        }

        int classCount = 0;
        foreach (int label in labels)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(label, nameof(labels));
            classCount = Math.Max(classCount, label + 1);
        }

        // Bucket the indices by class (counting sort keeps each bucket in ascending index order).
        var starts = new int[classCount + 1];
        foreach (int label in labels)
        {
            starts[label + 1]++;
        }

        for (int c = 0; c < classCount; c++)
        {
            starts[c + 1] += starts[c];
        }

        var byClass = new int[labels.Length];
        var fill = (int[])starts.Clone();
        for (int i = 0; i < labels.Length; i++)
        {
            byClass[fill[labels[i]]++] = i;
        }

        var random = new Random(seed);
        var isHoldout = new bool[labels.Length];
        int holdoutCount = 0;
        for (int c = 0; c < classCount; c++)
        {
            Span<int> members = byClass.AsSpan(starts[c], starts[c + 1] - starts[c]);
            int n = members.Length;
            int take = (int)Math.Round(n * fraction, MidpointRounding.AwayFromZero);
            if (n >= 2 && fraction > 0 && fraction < 1)
            {
                take = Math.Clamp(take, 1, n - 1);
            }
            else if (n == 1 && fraction < 1)
            {
                take = 0;
            }

            // Partial Fisher-Yates: the first `take` slots become a uniform random sample of the class.
            for (int i = 0; i < take; i++)
            {
                int j = random.Next(i, n);
                (members[i], members[j]) = (members[j], members[i]);
                isHoldout[members[i]] = true;
            }

            holdoutCount += take;
        }

        var train = new int[labels.Length - holdoutCount];
        var holdout = new int[holdoutCount];
        int t = 0, h = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (isHoldout[i])
            {
                holdout[h++] = i;
            }
            else
            {
                train[t++] = i;
            }
        }

        return (train, holdout);
    }

    /// <summary>A plain seeded split of <paramref name="count"/> examples (for sequences, where classes do not apply).</summary>
    public static (int[] Train, int[] Holdout) Random(int count, double fraction, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!(fraction >= 0 && fraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), "The held-out fraction must be in [0, 1].");
        }

        var indices = new int[count];
        for (int i = 0; i < count; i++)
        {
            indices[i] = i;
        }

        new Random(seed).Shuffle(indices);
        int take = (int)Math.Round(fraction * count, MidpointRounding.AwayFromZero);
        int[] train = indices[take..];
        int[] holdout = indices[..take];
        Array.Sort(train);
        Array.Sort(holdout);
        return (train, holdout);
    }
}
