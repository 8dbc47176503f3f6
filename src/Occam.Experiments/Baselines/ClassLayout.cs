using Occam.Data;

namespace Occam.Baselines;

/// <summary>
/// Maps the dataset's class ids to the compact ids ML.NET trains on: only classes present in the training rows get a
/// model output, so a class missing from a split never reaches the trainers (one-versus-rest cannot learn it anyway).
/// </summary>
internal sealed class ClassLayout
{
    private ClassLayout(int classCount, int[] presentClasses, int[] compactIds)
    {
        ClassCount = classCount;
        PresentClasses = presentClasses;
        CompactIds = compactIds;
    }

    /// <summary>The dataset's class count K.</summary>
    public int ClassCount { get; }

    /// <summary>Class ids seen in training, ascending; position = compact id.</summary>
    public int[] PresentClasses { get; }

    /// <summary>Compact id per class id, −1 for absent classes.</summary>
    public int[] CompactIds { get; }

    public static ClassLayout Of(Dataset train)
    {
        if (train.LabelsPerExample != 1)
        {
            throw new ArgumentException("Tree baselines need one label per example.", nameof(train));
        }

        var seen = new bool[train.ClassCount];
        foreach (int label in train.Labels)
        {
            if ((uint)label >= (uint)train.ClassCount)
            {
                throw new ArgumentException($"Label {label} is outside [0, {train.ClassCount}).", nameof(train));
            }

            seen[label] = true;
        }

        var compact = new int[train.ClassCount];
        var present = new List<int>();
        for (int classId = 0; classId < seen.Length; classId++)
        {
            compact[classId] = seen[classId] ? present.Count : -1;
            if (seen[classId])
            {
                present.Add(classId);
            }
        }

        return new ClassLayout(train.ClassCount, [.. present], compact);
    }
}
