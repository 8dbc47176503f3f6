using Occam.Tensors;

namespace Occam.Data;

/// <summary>
/// An in-memory labelled dataset: features [count, example shape…] and integer class labels, one per example
/// (classification) or one per position (sequences: <see cref="LabelsPerExample"/> = context length), or, for
/// regression, one real target per example (<see cref="Targets"/>, standardised by <see cref="TargetScaling"/>).
/// Token inputs are stored as floats holding exact integer ids.
/// </summary>
public sealed class Dataset
{
    /// <summary>Creates a dataset; <paramref name="labels"/> holds <c>count × labelsPerExample</c> entries in [0, classCount).</summary>
    public Dataset(Tensor features, int[] labels, int classCount, int labelsPerExample = 1, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(labelsPerExample, 1);
        if (labels.Length != features.Batch * labelsPerExample)
        {
            throw new ArgumentException($"{labels.Length} labels for {features.Batch} examples × {labelsPerExample}.", nameof(labels));
        }

        Features = features;
        Labels = labels;
        ClassCount = classCount;
        LabelsPerExample = labelsPerExample;
        ClassNames = classNames ?? [.. Enumerable.Range(0, classCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    }

    /// <summary>
    /// Creates a regression dataset: <paramref name="targets"/> holds one standardised target per example and
    /// <paramref name="scaling"/> turns them (and predictions) back into original units. <see cref="Labels"/> are all 0
    /// (one "class"), so class-based splits fall back to plain seeded ones.
    /// </summary>
    public Dataset(Tensor features, float[] targets, TargetScaling scaling, string targetName = "target")
        : this(features, new int[(features ?? throw new ArgumentNullException(nameof(features))).Batch], 1, 1, [targetName])
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(scaling);
        if (targets.Length != features.Batch)
        {
            throw new ArgumentException($"{targets.Length} targets for {features.Batch} examples.", nameof(targets));
        }

        Targets = targets;
        TargetScaling = scaling;
    }

    /// <summary>Classification or regression (the latter when the dataset has <see cref="Targets"/>).</summary>
    public LearningTask Task => Targets is null ? LearningTask.Classification : LearningTask.Regression;

    /// <summary>Regression targets, standardised (one per example); null for classification.</summary>
    public float[]? Targets { get; }

    /// <summary>How <see cref="Targets"/> map back to original units; null for classification.</summary>
    public TargetScaling? TargetScaling { get; }

    /// <summary>Features, [count, example shape…].</summary>
    public Tensor Features { get; }

    /// <summary>Labels, <see cref="Count"/> × <see cref="LabelsPerExample"/>.</summary>
    public int[] Labels { get; }

    /// <summary>Number of classes (the vocabulary size for sequences).</summary>
    public int ClassCount { get; }

    /// <summary>1 for classification; the context length for next-token prediction.</summary>
    public int LabelsPerExample { get; }

    /// <summary>Display names of the classes.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Number of examples.</summary>
    public int Count => Features.Batch;

    /// <summary>Per-example feature shape.</summary>
    public int[] ExampleShape => Features.Shape[1..].ToArray();

    /// <summary>
    /// The held-out split the data fixes itself (text windows), or null: then the trainer splits the examples
    /// (stratified by class, seeded).
    /// </summary>
    public HoldoutSplit? Holdout { get; private init; }

    /// <summary>The same examples (shared, not copied) with a held-out split of their own.</summary>
    /// <exception cref="ArgumentException">The split's indices are out of range, unsorted, or not disjoint.</exception>
    public Dataset WithHoldout(HoldoutSplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        var used = new bool[Count];
        foreach (int[] part in (int[][])[split.Train, split.Holdout])
        {
            for (int i = 0; i < part.Length; i++)
            {
                int index = part[i];
                if ((uint)index >= (uint)Count || used[index] || (i > 0 && index <= part[i - 1]))
                {
                    throw new ArgumentException($"The held-out split's indices must be ascending, disjoint and in [0, {Count}).", nameof(split));
                }

                used[index] = true;
            }
        }

        return Copy(Features, split);
    }

    /// <summary>
    /// A copy holding the examples at <paramref name="indices"/>, in that order, without a <see cref="Holdout"/> (its
    /// indices name the examples of this dataset).
    /// </summary>
    public Dataset Subset(ReadOnlySpan<int> indices)
    {
        int[] shape = Features.Shape.ToArray();
        shape[0] = indices.Length;
        var features = new Tensor(shape);
        int row = Features.RowLength;
        var labels = new int[indices.Length * LabelsPerExample];
        for (int i = 0; i < indices.Length; i++)
        {
            int source = indices[i];
            Features.Span.Slice(source * row, row).CopyTo(features.Span.Slice(i * row, row));
            Labels.AsSpan(source * LabelsPerExample, LabelsPerExample).CopyTo(labels.AsSpan(i * LabelsPerExample));
        }

        if (Targets is not null)
        {
            var targets = new float[indices.Length];
            for (int i = 0; i < indices.Length; i++)
            {
                targets[i] = Targets[indices[i]];
            }

            return new Dataset(features, targets, TargetScaling!, ClassNames[0]);
        }

        return new Dataset(features, labels, ClassCount, LabelsPerExample, ClassNames);
    }

    /// <summary>
    /// The same examples with another per-example shape of the same size, e.g. images [N, 1, 28, 28] as flat
    /// [N, 784]; the features are copied (loaders also take a <c>flatten</c> option that avoids the copy).
    /// </summary>
    public Dataset Reshape(params int[] exampleShape)
    {
        ArgumentNullException.ThrowIfNull(exampleShape);
        int[] shape = [Count, .. exampleShape];
        var features = new Tensor(shape);
        if (features.RowLength != Features.RowLength)
        {
            throw new ArgumentException(
                $"Shape [{string.Join(", ", exampleShape)}] does not hold the {Features.RowLength} values of an example.", nameof(exampleShape));
        }

        Features.Span.CopyTo(features.Span);
        return Copy(features, Holdout);
    }

    /// <summary>This dataset's labels or targets over <paramref name="features"/>, with <paramref name="holdout"/>.</summary>
    private Dataset Copy(Tensor features, HoldoutSplit? holdout) => Targets is null
        ? new Dataset(features, Labels, ClassCount, LabelsPerExample, ClassNames) { Holdout = holdout }
        : new Dataset(features, Targets, TargetScaling!, ClassNames[0]) { Holdout = holdout };
}
