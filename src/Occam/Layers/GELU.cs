using Occam.Kernels;
using Occam.Tensors;

namespace Occam.Layers;

/// <summary>
/// Gaussian error linear unit in the tanh approximation used by GPT-2 (PyTorch's <c>GELU(approximate="tanh")</c>):
/// gelu(x) = ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). It differs from the exact x·Φ(x) by less than 1e-3.
/// The arithmetic lives in <see cref="Activations"/>, shared with the transformer's MLP.
/// </summary>
public sealed class GELU : Layer
{
    private Tensor? _input;
    private Tensor? _output;
    private Tensor? _inputGrad;

    /// <inheritdoc />
    protected override int[] OnBuild(ReadOnlySpan<int> inputShape, Random random) => inputShape.ToArray();

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
        var output = EnsureBuffer(ref _output, input.Batch, OutputShape);
        Activations.GeluForward(input.Span, output.Span);
        return output;
    }

    /// <inheritdoc />
    public override Tensor Backward(Tensor outputGrad)
    {
        ArgumentNullException.ThrowIfNull(outputGrad);
        var input = _input ?? throw new InvalidOperationException("Backward before forward.");
        var inputGrad = EnsureBuffer(ref _inputGrad, input.Batch, InputShape);
        Activations.GeluBackward(input.Span, outputGrad.Span, inputGrad.Span);
        return inputGrad;
    }
}
