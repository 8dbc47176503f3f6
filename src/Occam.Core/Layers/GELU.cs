using Occam.Tensors;

namespace Occam.Layers;

/// <summary>
/// Gaussian error linear unit in the tanh approximation used by GPT-2 (PyTorch's <c>GELU(approximate="tanh")</c>):
/// gelu(x) = ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). It differs from the exact x·Φ(x) by less than 1e-3.
/// </summary>
public sealed class GELU : Layer
{
    private const float Cubic = 0.044715f;
    private static readonly float SqrtTwoOverPi = MathF.Sqrt(2f / MathF.PI);

    private Tensor? _input;
    private Tensor? _tanh;
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
        var tanh = EnsureBuffer(ref _tanh, input.Batch, OutputShape).Span;
        var x = input.Span;
        // tanh = tanh(c·x + c·a·x³), kept for backward; y = ½·x·(1 + tanh).
        TensorPrimitives.Multiply(x, x, tanh);
        TensorPrimitives.Multiply(tanh, SqrtTwoOverPi * Cubic, tanh);
        TensorPrimitives.Add(tanh, SqrtTwoOverPi, tanh);
        TensorPrimitives.Multiply(tanh, x, tanh);
        TensorPrimitives.Tanh(tanh, tanh);
        var y = output.Span;
        TensorPrimitives.AddMultiply(tanh, 1f, x, y);
        TensorPrimitives.Multiply(y, 0.5f, y);
        return output;
    }

    /// <inheritdoc />
    public override Tensor Backward(Tensor outputGrad)
    {
        ArgumentNullException.ThrowIfNull(outputGrad);
        var input = _input ?? throw new InvalidOperationException("Backward before forward.");
        var inputGrad = EnsureBuffer(ref _inputGrad, input.Batch, InputShape);
        var x = input.Span;
        var tanh = _tanh!.Span;
        var dy = outputGrad.Span;
        var dx = inputGrad.Span;
        float c = SqrtTwoOverPi;
        for (int i = 0; i < dx.Length; i++)
        {
            float xi = x[i], t = tanh[i];
            // d/dx [½x(1 + t)] = ½(1 + t) + ½x·(1 − t²)·c·(1 + 3a·x²)
            float derivative = 0.5f * (1f + t) + 0.5f * xi * (1f - t * t) * c * (1f + 3f * Cubic * xi * xi);
            dx[i] = dy[i] * derivative;
        }

        return inputGrad;
    }
}
