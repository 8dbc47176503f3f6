using System.Globalization;
using Occam.Cli.Specs;

namespace Occam.Cli.Engine;

/// <summary>
/// What training a model spec needs, worked out from the spec before anything is allocated: its parameters (with their
/// gradients, masks, optimiser moments, best snapshot and checkpoint copies), the activations of a training batch and
/// an evaluation batch, and the largest single tensor. <see cref="Check"/> refuses, as a usage error, what cannot fit,
/// instead of an allocation failing (or the OS killing the process) part-way.
/// </summary>
internal sealed record MemoryEstimate(double Parameters, double Bytes, double LargestTensor)
{
    /// <summary>
    /// Copies of every parameter a run holds: value, gradient, mask, two Adam moments, the best snapshot (value and
    /// mask), the last good epoch's copy (value, mask, moments), a rewind point (value and mask) and the checkpoint being
    /// written (value, mask, moments).
    /// </summary>
    private const double CopiesPerParameter = 17;

    /// <summary>Evaluation batches are this large (<see cref="Occam.Training.TrainerOptions.EvaluationBatchSize"/>).</summary>
    private const int EvaluationBatch = 256;

    /// <summary>
    /// Estimates training <paramref name="spec"/> on examples of <paramref name="inputShape"/> with
    /// <paramref name="classes"/> outputs in batches of <paramref name="batchSize"/>.
    /// </summary>
    public static MemoryEstimate For(ModelSpec spec, int[] inputShape, int classes, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(inputShape);
        double inputs = 1;
        foreach (int d in inputShape)
        {
            inputs *= d;
        }

        var (parameters, largestWeight, perExample, widestPerExample) = spec switch
        {
            MlpSpec mlp => Mlp(inputs, mlp.HiddenSizes, classes),
            CnnSpec cnn when inputShape.Length == 3 => Cnn(inputShape, cnn.Channels, classes),
            GptSpec gpt => Gpt(gpt, classes),
            _ => (0.0, 0.0, inputs, inputs),
        };
        double bytes = sizeof(float) * ((parameters * CopiesPerParameter) + ((batchSize + (EvaluationBatch / 2.0)) * perExample) + (batchSize * inputs));
        double largest = Math.Max(largestWeight, Math.Max(batchSize * widestPerExample, batchSize * inputs));
        return new MemoryEstimate(parameters, bytes, largest);
    }

    /// <summary>
    /// Throws a <see cref="UsageException"/> naming <paramref name="spec"/> and <paramref name="batchSize"/> when one tensor
    /// would exceed what an array can hold, or the estimate exceeds the memory this process may use.
    /// </summary>
    public static void Check(ModelSpec spec, int[] inputShape, int classes, int batchSize)
    {
        var estimate = For(spec, inputShape, classes, batchSize);
        string what = $"--model {spec} with --batch-size {batchSize.ToString(CultureInfo.InvariantCulture)}";
        if (estimate.LargestTensor > Array.MaxLength)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"{what} needs a tensor of {estimate.LargestTensor:G3} values, more than the {Array.MaxLength} one tensor can hold; use a smaller model or batch"));
        }

        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (estimate.Bytes > available)
        {
            throw new UsageException($"{what} needs about {Size(estimate.Bytes)} of memory to train ({estimate.Parameters.ToString("G3", CultureInfo.InvariantCulture)} parameters "
                + $"with their optimiser state and snapshots, and the activations of a batch), more than the {Size(available)} available; use a smaller model or batch");
        }
    }

    private static string Size(double bytes) => bytes >= 1 << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1 << 30):F1} GiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (1 << 20):F0} MiB");

    /// <summary>Dense layers: weights and biases; per example each hidden layer keeps its output, ReLU, dropout (and mask) and their gradients.</summary>
    private static (double Parameters, double LargestWeight, double PerExample, double Widest) Mlp(double inputs, IReadOnlyList<int> hidden, int classes)
    {
        double parameters = 0, largest = 0, perExample = 2 * inputs, widest = inputs;
        double previous = inputs;
        foreach (double width in hidden.Select(h => (double)h).Append(classes))
        {
            parameters += (previous * width) + width;
            largest = Math.Max(largest, previous * width);
            perExample += 8 * width;
            widest = Math.Max(widest, width);
            previous = width;
        }

        return (parameters, largest, perExample, widest);
    }

    /// <summary>The reference CNN: three 3×3 convolutions (with their im2col buffers), two poolings, two dense layers.</summary>
    private static (double Parameters, double LargestWeight, double PerExample, double Widest) Cnn(int[] shape, int channels, int classes)
    {
        double c = shape[0], h = shape[1], w = shape[2], n = channels;
        double parameters = 0, largest = 0, perExample = 2 * c * h * w, widest = c * h * w;
        foreach (var (outChannels, pool) in new[] { (n, true), (2 * n, true), (2 * n, false) })
        {
            h -= 2;
            w -= 2;
            double columns = 9 * c * h * w;
            parameters += (9 * c * outChannels) + outChannels;
            perExample += (2 * columns) + (6 * outChannels * h * w);
            widest = Math.Max(widest, columns);
            c = outChannels;
            if (pool)
            {
                h = Math.Floor(h / 2);
                w = Math.Floor(w / 2);
            }
        }

        var (denseParameters, denseLargest, densePerExample, denseWidest) = Mlp(c * h * w, [2 * channels], classes);
        return (parameters + denseParameters, Math.Max(largest, denseLargest), perExample + densePerExample, Math.Max(widest, denseWidest));
    }

    /// <summary>A GPT: embeddings, blocks of attention (with T×T scores per head) and MLP (4E), the head over the vocabulary.</summary>
    private static (double Parameters, double LargestWeight, double PerExample, double Widest) Gpt(GptSpec gpt, int vocabulary)
    {
        double e = gpt.Embedding, t = gpt.Context, v = vocabulary;
        double parameters = (2 * v * e) + (t * e) + v + (gpt.Layers * ((12 * e * e) + (13 * e))) + (2 * e);
        double perBlock = (t * e * 24) + (gpt.Heads * t * t * 4);
        double perExample = (gpt.Layers * perBlock) + (t * v * 3) + (t * e * 4);
        return (parameters, Math.Max(4 * e * e, v * e), perExample, Math.Max(t * v, gpt.Heads * t * t));
    }
}
