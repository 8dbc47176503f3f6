using Occam.Tensors;

namespace Occam.Layers;

/// <summary>Hyperbolic tangent; its derivative is 1 − tanh².</summary>
public sealed class Tanh : Layer
{
    private Tensor? _output;
    private Tensor? _inputGrad;

    /// <inheritdoc />
    protected override int[] OnBuild(ReadOnlySpan<int> inputShape, Random random) => inputShape.ToArray();

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        var output = EnsureBuffer(ref _output, input.Batch, OutputShape);
        TensorPrimitives.Tanh(input.Span, output.Span);
        return output;
    }

    /// <inheritdoc />
    public override Tensor Backward(Tensor outputGrad)
    {
        ArgumentNullException.ThrowIfNull(outputGrad);
        var output = _output ?? throw new InvalidOperationException("Backward before forward.");
        var inputGrad = EnsureBuffer(ref _inputGrad, outputGrad.Batch, InputShape);
        var y = output.Span;
        var dx = inputGrad.Span;
        TensorPrimitives.Multiply(y, y, dx);
        TensorPrimitives.Subtract(1f, dx, dx);
        TensorPrimitives.Multiply(dx, outputGrad.Span, dx);
        return inputGrad;
    }
}
