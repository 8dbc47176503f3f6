using Occam.Kernels;
using Occam.Tensors;

namespace Occam.Layers;

/// <summary>Rectified linear unit, max(0, x).</summary>
public sealed class ReLU : Layer
{
    private Tensor? _output;
    private Tensor? _inputGrad;

    /// <summary>
    /// Set by <see cref="Models.Sequential"/> when the layer before is a <see cref="Dense"/> that rectifies its own output
    /// (<see cref="Dense.RectifiesOutput"/>): the forward pass then passes its input on instead of recomputing it.
    /// </summary>
    internal bool InputIsRectified { get; set; }

    /// <inheritdoc />
    protected override int[] OnBuild(ReadOnlySpan<int> inputShape, Random random) => inputShape.ToArray();

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (InputIsRectified)
        {
            _output = input;
            return input;
        }

        var output = EnsureBuffer(ref _output, input.Batch, OutputShape);
        TensorPrimitives.Max(input.Span, 0f, output.Span);
        return output;
    }

    /// <inheritdoc />
    public override Tensor Backward(Tensor outputGrad)
    {
        ArgumentNullException.ThrowIfNull(outputGrad);
        var output = _output ?? throw new InvalidOperationException("Backward before forward.");
        var inputGrad = EnsureBuffer(ref _inputGrad, outputGrad.Batch, InputShape);
        Activations.ReluBackward(output.Span, outputGrad.Span, inputGrad.Span);
        return inputGrad;
    }
}
