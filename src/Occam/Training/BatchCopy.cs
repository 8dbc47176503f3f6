using Occam.Data;
using Occam.Tensors;

namespace Occam.Training;

/// <summary>Copies dataset rows into a preallocated batch tensor and label (or regression target) buffer (no allocation per batch).</summary>
internal static class BatchCopy
{
    /// <summary>An input tensor of <paramref name="batchSize"/> examples shaped like <paramref name="data"/>'s.</summary>
    public static Tensor CreateInput(Dataset data, int batchSize)
    {
        int[] shape = data.Features.Shape.ToArray();
        shape[0] = batchSize;
        return new Tensor(shape);
    }

    /// <summary>
    /// Fills <paramref name="input"/> and <paramref name="labels"/> with the examples at <paramref name="indices"/>, and
    /// <paramref name="targets"/>, when given, with their regression targets.
    /// </summary>
    public static void Fill(Dataset data, ReadOnlySpan<int> indices, Tensor input, int[] labels, float[]? targets = null)
    {
        input.SetBatch(indices.Length);
        int row = data.Features.RowLength;
        int perExample = data.LabelsPerExample;
        var source = data.Features.Span;
        var target = input.Span;
        for (int i = 0; i < indices.Length; i++)
        {
            int example = indices[i];
            source.Slice(example * row, row).CopyTo(target.Slice(i * row, row));
            data.Labels.AsSpan(example * perExample, perExample).CopyTo(labels.AsSpan(i * perExample));
            if (targets is not null)
            {
                targets[i] = data.Targets![example];
            }
        }
    }

    /// <summary>Fills <paramref name="input"/>, <paramref name="labels"/> and (when given) <paramref name="targets"/> with <paramref name="count"/> consecutive examples.</summary>
    public static void FillRange(Dataset data, int start, int count, Tensor input, int[] labels, float[]? targets = null)
    {
        input.SetBatch(count);
        int row = data.Features.RowLength;
        int perExample = data.LabelsPerExample;
        data.Features.Span.Slice(start * row, count * row).CopyTo(input.Span);
        data.Labels.AsSpan(start * perExample, count * perExample).CopyTo(labels);
        data.Targets?.AsSpan(start, count).CopyTo(targets);
    }
}
