using Occam.Tensors;

namespace Occam.Layers;

/// <summary>Reshapes each example to a vector, e.g. [channels, height, width] to [channels·height·width] (row-major order).</summary>
public sealed class Flatten : Layer
{
    private Tensor? _output;
    private Tensor? _inputGrad;

    /// <inheritdoc />
    protected override int[] OnBuild(ReadOnlySpan<int> inputShape, Random random)
    {
        long length = 1;
        foreach (int d in inputShape)
        {
            length *= d;
        }

        return [checked((int)length)];
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        var output = EnsureBuffer(ref _output, input.Batch, OutputShape);
        output.CopyFrom(input);
        return output;
    }

    /// <inheritdoc />
    public override Tensor Backward(Tensor outputGrad)
    {
        ArgumentNullException.ThrowIfNull(outputGrad);
        var inputGrad = EnsureBuffer(ref _inputGrad, outputGrad.Batch, InputShape);
        inputGrad.CopyFrom(outputGrad);
        return inputGrad;
    }
}
