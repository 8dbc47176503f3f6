using Occam.Tensors;

namespace Occam.Layers;

/// <summary>
/// Learned absolute positional embedding (GPT-2's wpe): [batch, positions, features] → x + P[position].
/// "weight" is [contextLength, features], initialised N(0, 0.02²), not prunable; inputs may be shorter than
/// the context, in which case the first rows are used.
/// </summary>
public sealed class PositionalEmbedding : Layer
{
    private readonly int _contextLength;
    private Parameter? _weight;
    private Tensor? _output;
    private Tensor? _inputGrad;

    /// <summary>Creates a table for sequences of up to <paramref name="contextLength"/> positions.</summary>
    public PositionalEmbedding(int contextLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 1);
        _contextLength = contextLength;
    }

    /// <summary>The table, [contextLength, features].</summary>
    public Parameter Weight => _weight ?? throw new InvalidOperationException("PositionalEmbedding is not built yet.");

    /// <summary>Longest sequence supported.</summary>
    public int ContextLength => _contextLength;

    /// <inheritdoc />
    protected override int[] OnBuild(ReadOnlySpan<int> inputShape, Random random)
    {
        if (inputShape.Length != 2 || inputShape[0] > _contextLength)
        {
            throw new ArgumentException(
                $"PositionalEmbedding expects [positions ≤ {_contextLength}, features], got [{string.Join(", ", inputShape.ToArray())}].",
                nameof(inputShape));
        }

        _weight = AddParameter("weight", isPrunable: false, _contextLength, inputShape[1]);
        Initialize.Normal(_weight.Value.Span, 0.02f, random);
        return inputShape.ToArray();
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        var output = EnsureBuffer(ref _output, input.Batch, OutputShape);
        int rowLength = input.RowLength;
        var positions = Weight.Value.Span[..rowLength];
        var x = input.Span;
        var y = output.Span;
        for (int b = 0; b < input.Batch; b++)
        {
            TensorPrimitives.Add(x.Slice(b * rowLength, rowLength), positions, y.Slice(b * rowLength, rowLength));
        }

        return output;
    }

    /// <summary>The gradient of the table is the output gradient summed over the batch; the input gradient is a copy of the output gradient.</summary>
    public override Tensor Backward(Tensor outputGrad)
    {
        ArgumentNullException.ThrowIfNull(outputGrad);
        int rowLength = outputGrad.RowLength;
        var grad = Weight.Grad.Span;
        grad.Clear();
        var used = grad[..rowLength];
        var dy = outputGrad.Span;
        for (int b = 0; b < outputGrad.Batch; b++)
        {
            TensorPrimitives.Add(used, dy.Slice(b * rowLength, rowLength), used);
        }

        var inputGrad = EnsureBuffer(ref _inputGrad, outputGrad.Batch, InputShape);
        inputGrad.CopyFrom(outputGrad);
        return inputGrad;
    }
}
