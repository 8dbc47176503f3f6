using Occam.Kernels;
using Occam.Tensors;

namespace Occam.Training;

/// <summary>
/// Classification metrics over predicted probabilities [N, K] and integer labels. Log-loss has one definition, from
/// probabilities (<see cref="LogLoss"/>, for models that predict them, such as trees) or from logits
/// (<see cref="LogLossOfLogits"/>, for networks): −ln of the true class's probability clipped to [clip, 1].
/// </summary>
public static class Metrics
{
    /// <summary>Default lower clip for probabilities in <see cref="LogLoss"/>, so a confident miss costs at most −ln 1e-7.</summary>
    public const float DefaultClip = 1e-7f;

    /// <summary>
    /// Mean negative log-probability of the true class, each probability clipped to [<paramref name="clip"/>, 1].
    /// </summary>
    public static double LogLoss(Tensor probabilities, ReadOnlySpan<int> labels, float clip = DefaultClip)
    {
        int classCount = CheckShape(probabilities, labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clip);
        ReadOnlySpan<float> values = probabilities.Span;
        double total = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            total += Clipped(Math.Log(values[(i * classCount) + CheckLabel(labels[i], classCount)]), clip);
        }

        return total / labels.Length;
    }

    /// <summary>
    /// One row's log-loss from its <paramref name="logits"/>: −log-softmax at <paramref name="label"/> (computed stably,
    /// without forming probabilities), clipped as <see cref="LogLoss"/> clips, so that it is the log-loss of softmax(logits).
    /// </summary>
    public static double LogLossOfLogits(ReadOnlySpan<float> logits, int label, float clip = DefaultClip)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clip);
        return Clipped(Softmax.LogSoftmaxAt(logits, CheckLabel(label, logits.Length)), clip);
    }

    /// <summary>−<paramref name="logProbability"/> with the probability clipped to [<paramref name="clip"/>, 1].</summary>
    private static double Clipped(double logProbability, float clip) => Math.Clamp(-logProbability, 0, -Math.Log(clip));

    /// <summary>Fraction of rows whose highest probability is on the true class (ties go to the lowest class id).</summary>
    public static double Accuracy(Tensor probabilities, ReadOnlySpan<int> labels)
    {
        int classCount = CheckShape(probabilities, labels);
        ReadOnlySpan<float> values = probabilities.Span;
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            int predicted = TensorPrimitives.IndexOfMax(values.Slice(i * classCount, classCount));
            if (predicted == CheckLabel(labels[i], classCount))
            {
                correct++;
            }
        }

        return (double)correct / labels.Length;
    }

    private static int CheckShape(Tensor probabilities, ReadOnlySpan<int> labels)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        if (probabilities.Rank != 2 || probabilities.Batch != labels.Length || labels.Length == 0)
        {
            throw new ArgumentException($"Expected probabilities [{labels.Length}, K] for {labels.Length} labels, got {probabilities}.", nameof(probabilities));
        }

        return probabilities.Dim(1);
    }

    private static int CheckLabel(int label, int classCount) =>
        (uint)label < (uint)classCount ? label : throw new ArgumentOutOfRangeException(nameof(label), label, $"Label outside [0, {classCount}).");
}
