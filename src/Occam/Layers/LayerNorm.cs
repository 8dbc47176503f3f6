using Occam.Tensors;

namespace Occam.Layers;

/// <summary>
/// Layer normalisation (Ba et al.; PyTorch's nn.LayerNorm) over the last dimension:
/// y = (x − mean) / √(var + ε) · weight + bias, with the biased variance. "weight" (gain, initialised to 1)
/// and "bias" (initialised to 0) are [features] and not prunable.
/// </summary>
public sealed class LayerNorm : Layer
{
    private readonly float _epsilon;
    private Parameter? _weight;
    private Parameter? _bias;
    private Tensor? _input;
    private Tensor? _output;
    private Tensor? _inputGrad;
    private Tensor? _mean;
    private Tensor? _inverseStd;
    private float[] _rowScratch = [];

    /// <summary>Creates a layer norm with <paramref name="epsilon"/> added to the variance.</summary>
    public LayerNorm(float epsilon = 1e-5f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epsilon);
        _epsilon = epsilon;
    }

    /// <summary>The gain, [features].</summary>
    public Parameter Weight => _weight ?? throw new InvalidOperationException("LayerNorm is not built yet.");

    /// <summary>The shift, [features].</summary>
    public Parameter Bias => _bias ?? throw new InvalidOperationException("LayerNorm is not built yet.");

    /// <summary>The term added to the variance.</summary>
    public float Epsilon => _epsilon;

    /// <inheritdoc />
    protected override int[] OnBuild(ReadOnlySpan<int> inputShape, Random random)
    {
        int features = inputShape[^1];
        _weight = AddParameter("weight", isPrunable: false, features);
        _weight.Value.Span.Fill(1f);
        _bias = AddParameter("bias", isPrunable: false, features);
        _rowScratch = new float[features];
        return inputShape.ToArray();
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
        int features = Weight.Length;
        var statShape = InputShape[..^1];
        var output = EnsureBuffer(ref _output, input.Batch, OutputShape);
        var mean = EnsureBuffer(ref _mean, input.Batch, statShape).Span;
        var inverseStd = EnsureBuffer(ref _inverseStd, input.Batch, statShape).Span;
        var x = input.Span;
        var y = output.Span;
        var gain = Weight.Value.Span;
        var shift = Bias.Value.Span;
        for (int r = 0; r < mean.Length; r++)
        {
            var xr = x.Slice(r * features, features);
            var yr = y.Slice(r * features, features);
            float m = TensorPrimitives.Sum(xr) / features;
            TensorPrimitives.Subtract(xr, m, yr);
            float variance = TensorPrimitives.SumOfSquares(yr) / features;
            float s = 1f / MathF.Sqrt(variance + _epsilon);
            TensorPrimitives.Multiply(yr, s, yr);
            TensorPrimitives.MultiplyAdd(yr, gain, shift, yr);
            mean[r] = m;
            inverseStd[r] = s;
        }

        return output;
    }

    /// <inheritdoc />
    public override Tensor Backward(Tensor outputGrad)
    {
        ArgumentNullException.ThrowIfNull(outputGrad);
        var input = _input ?? throw new InvalidOperationException("Backward before forward.");
        int features = Weight.Length;
        var inputGrad = EnsureBuffer(ref _inputGrad, input.Batch, InputShape);
        var mean = _mean!.Span;
        var inverseStd = _inverseStd!.Span;
        var x = input.Span;
        var dy = outputGrad.Span;
        var dx = inputGrad.Span;
        var gain = Weight.Value.Span;
        var dGain = Weight.Grad.Span;
        var dShift = Bias.Grad.Span;
        var dNorm = _rowScratch.AsSpan();
        dGain.Clear();
        dShift.Clear();
        for (int r = 0; r < mean.Length; r++)
        {
            var dyr = dy.Slice(r * features, features);
            var dxr = dx.Slice(r * features, features);
            float s = inverseStd[r];

            // The normalised input is recomputed into dx, which it is about to become part of.
            var norm = dxr;
            TensorPrimitives.Subtract(x.Slice(r * features, features), mean[r], norm);
            TensorPrimitives.Multiply(norm, s, norm);
            TensorPrimitives.MultiplyAdd(dyr, norm, dGain, dGain);
            TensorPrimitives.Add(dShift, dyr, dShift);

            // dx = s · (dnorm − mean(dnorm) − norm · mean(dnorm ⊙ norm)), dnorm = dy ⊙ gain
            TensorPrimitives.Multiply(dyr, gain, dNorm);
            float meanDNorm = TensorPrimitives.Sum(dNorm) / features;
            float meanDNormNorm = TensorPrimitives.Dot(dNorm, norm) / features;
            TensorPrimitives.MultiplyAdd(norm, -meanDNormNorm, dNorm, dxr);
            TensorPrimitives.Subtract(dxr, meanDNorm, dxr);
            TensorPrimitives.Multiply(dxr, s, dxr);
        }

        return inputGrad;
    }
}
