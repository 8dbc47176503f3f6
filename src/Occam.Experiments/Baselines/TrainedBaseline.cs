using Microsoft.ML;
using Microsoft.ML.Data;
using Occam.Data;
using Occam.Tensors;

namespace Occam.Baselines;

/// <summary>
/// A fitted baseline: predicts class probabilities over all <see cref="ClassCount"/> classes of the training dataset,
/// giving probability zero to classes that were absent from the training rows.
/// </summary>
public sealed class TrainedBaseline
{
    private const string ScoreColumn = "Score";
    private const string ProbabilityColumn = "Probability";

    private readonly MLContext _context;
    private readonly ITransformer? _transformer;
    private readonly ClassLayout _layout;

    internal TrainedBaseline(string name, MLContext context, ITransformer? transformer, ClassLayout layout, long size)
    {
        Name = name;
        _context = context;
        _transformer = transformer;
        _layout = layout;
        Size = size;
    }

    /// <summary>Name of the baseline that produced this model.</summary>
    public string Name { get; }

    /// <summary>Number of probability columns, the training dataset's class count.</summary>
    public int ClassCount => _layout.ClassCount;

    /// <summary>Model size: total tree nodes, internal nodes plus leaves, summed over every tree.</summary>
    public long Size { get; }

    /// <summary>Class probabilities, [N, <see cref="ClassCount"/>], columns in class-id order, each row summing to 1.</summary>
    public Tensor PredictProbabilities(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int count = data.Count;
        var probabilities = new Tensor(count, ClassCount);
        Span<float> output = probabilities.Span;
        int[] present = _layout.PresentClasses;
        if (_transformer is null)
        {
            // A single training class: certainty is the only consistent prediction.
            for (int i = 0; i < count; i++)
            {
                output[(i * ClassCount) + present[0]] = 1f;
            }

            return probabilities;
        }

        IDataView scored = _transformer.Transform(MlData.Unlabelled(_context, data.Features));
        if (present.Length == 2)
        {
            int row = 0;
            foreach (float positive in scored.GetColumn<float>(ProbabilityColumn))
            {
                float p = float.IsNaN(positive) ? 0.5f : Math.Clamp(positive, 0f, 1f);
                output[(row * ClassCount) + present[0]] = 1f - p;
                output[(row * ClassCount) + present[1]] = p;
                row++;
            }

            return probabilities;
        }

        int index = 0;
        foreach (float[] scores in scored.GetColumn<float[]>(ScoreColumn))
        {
            Span<float> target = output.Slice(index * ClassCount, ClassCount);
            float total = 0f;
            for (int j = 0; j < present.Length; j++)
            {
                float value = float.IsNaN(scores[j]) ? 0f : Math.Max(scores[j], 0f);
                target[present[j]] = value;
                total += value;
            }

            NormalizeRow(target, present, total);
            index++;
        }

        return probabilities;
    }

    private static void NormalizeRow(Span<float> target, int[] present, float total)
    {
        if (total > 0f)
        {
            TensorPrimitives.Divide(target, total, target);
            return;
        }

        // Every one-versus-rest model said "not mine": spread the mass evenly over the trained classes.
        float uniform = 1f / present.Length;
        foreach (int classId in present)
        {
            target[classId] = uniform;
        }
    }
}
