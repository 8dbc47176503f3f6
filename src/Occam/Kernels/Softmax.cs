
namespace Occam.Kernels;

/// <summary>Numerically stable softmax and log-softmax over one row (the maximum is subtracted first).</summary>
internal static class Softmax
{
    /// <summary>Writes softmax(<paramref name="logits"/>) into <paramref name="probabilities"/>.</summary>
    public static void Forward(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        float max = TensorPrimitives.Max(logits);
        TensorPrimitives.Subtract(logits, max, probabilities);
        TensorPrimitives.Exp(probabilities, probabilities);
        float sum = TensorPrimitives.Sum(probabilities);
        TensorPrimitives.Multiply(probabilities, 1f / sum, probabilities);
    }

    /// <summary>Writes log-softmax(<paramref name="logits"/>) into <paramref name="logProbabilities"/>.</summary>
    public static void LogForward(ReadOnlySpan<float> logits, Span<float> logProbabilities)
    {
        float logSum = LogSumExp(logits);
        TensorPrimitives.Subtract(logits, logSum, logProbabilities);
    }

    /// <summary>log-softmax of one entry, without writing the row.</summary>
    public static float LogSoftmaxAt(ReadOnlySpan<float> logits, int index) => logits[index] - LogSumExp(logits);

    /// <summary>log Σ exp(xᵢ), computed as max + log Σ exp(xᵢ − max).</summary>
    public static float LogSumExp(ReadOnlySpan<float> logits)
    {
        float max = TensorPrimitives.Max(logits);
        double sum = 0;
        foreach (float v in logits)
        {
            sum += Math.Exp(v - max);
        }

        return max + (float)Math.Log(sum);
    }
}
