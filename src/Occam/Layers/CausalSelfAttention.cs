using Occam.Kernels;
using Occam.Tensors;

namespace Occam.Layers;

/// <summary>
/// Causal multi-head self-attention (GPT-2's attention) on [batch, positions, features]: a fused projection to
/// queries, keys and values ("qkv.weight" [3·features, features], prunable; "qkv.bias"), per head
/// softmax(Q·Kᵀ/√headDim) with position t attending only to positions ≤ t, the heads concatenated, and an output
/// projection ("proj.weight" [features, features], prunable; "proj.bias"). Forward and backward follow llm.c.
/// </summary>
public sealed class CausalSelfAttention : Layer
{
    private readonly int _heads;
    private Dense? _qkv;
    private Dense? _proj;
    private int _positions;
    private int _features;
    private int _headDim;
    private Tensor? _qkvOutput;
    private Tensor? _probabilities;
    private Tensor? _attended;
    private Tensor? _qkvGrad;
    private float[] _probabilityGrad = [];

    /// <summary>Creates attention with <paramref name="heads"/> heads; the feature count must be divisible by it.</summary>
    public CausalSelfAttention(int heads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        _heads = heads;
    }

    /// <summary>Number of heads.</summary>
    public int Heads => _heads;

    /// <summary>The fused query/key/value projection, features → 3·features (queries, then keys, then values).</summary>
    public Dense Qkv => _qkv ?? throw new InvalidOperationException("CausalSelfAttention is not built yet.");

    /// <summary>The output projection, features → features.</summary>
    public Dense Proj => _proj ?? throw new InvalidOperationException("CausalSelfAttention is not built yet.");

    /// <summary>
    /// Attention probabilities of the last forward pass, [batch, heads, positions, positions]
    /// (row t is zero beyond column t).
    /// </summary>
    public Tensor Probabilities => _probabilities ?? throw new InvalidOperationException("Forward has not run.");

    /// <inheritdoc />
    protected override int[] OnBuild(ReadOnlySpan<int> inputShape, Random random)
    {
        if (inputShape.Length != 2)
        {
            throw new ArgumentException($"Attention expects [positions, features], got rank {inputShape.Length}.", nameof(inputShape));
        }

        _positions = inputShape[0];
        _features = inputShape[1];
        if (_features % _heads != 0)
        {
            throw new ArgumentException($"{_features} features do not split into {_heads} heads.", nameof(inputShape));
        }

        _headDim = _features / _heads;
        _qkv = new Dense(3 * _features);
        _qkv.Build(inputShape, random);
        AdoptParameters("qkv", _qkv);
        _proj = new Dense(_features);
        _proj.Build(inputShape, random);
        AdoptParameters("proj", _proj);
        _probabilityGrad = new float[_positions * _positions];
        return inputShape.ToArray();
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        int batch = input.Batch;
        int t = _positions, d = _features, hd = _headDim, stride = 3 * d;
        var qkv = Qkv.Forward(input, training);
        _qkvOutput = qkv;
        var probabilities = EnsureBuffer(ref _probabilities, batch, [_heads, t, t]);
        var attended = EnsureBuffer(ref _attended, batch, InputShape);
        float scale = 1f / MathF.Sqrt(hd);
        var qkvSpan = qkv.Span;
        for (int b = 0; b < batch; b++)
        {
            for (int h = 0; h < _heads; h++)
            {
                int q = b * t * stride + h * hd;
                var p = probabilities.Span.Slice((b * _heads + h) * t * t, t * t);

                // Scores S = Q·Kᵀ [t, t]; Q and K are strided views into the fused projection.
                Gemm.Multiply(false, true, t, t, hd, qkvSpan[q..], stride, qkvSpan[(q + d)..], stride, p, t, accumulate: false);
                for (int i = 0; i < t; i++)
                {
                    var row = p.Slice(i * t, t);
                    var visible = row[..(i + 1)];
                    TensorPrimitives.Multiply(visible, scale, visible);
                    Softmax.Forward(visible, visible);
                    row[(i + 1)..].Clear();
                }

                // Head output [t, hd] = P·V, written into its column block of the concatenated heads.
                Gemm.Multiply(false, false, t, hd, t, p, t, qkvSpan[(q + 2 * d)..], stride, attended.Span[(b * t * d + h * hd)..], d, accumulate: false);
            }
        }

        return Proj.Forward(attended, training);
    }

    /// <inheritdoc />
    public override Tensor Backward(Tensor outputGrad)
    {
        ArgumentNullException.ThrowIfNull(outputGrad);
        var qkv = _qkvOutput ?? throw new InvalidOperationException("Backward before forward.");
        int batch = outputGrad.Batch;
        int t = _positions, d = _features, hd = _headDim, stride = 3 * d;
        var attendedGrad = Proj.Backward(outputGrad);
        var qkvGrad = EnsureBuffer(ref _qkvGrad, batch, [t, stride]);
        float scale = 1f / MathF.Sqrt(hd);
        var qkvSpan = qkv.Span;
        var dqkv = qkvGrad.Span;
        var dy = attendedGrad.Span;
        var dp = _probabilityGrad.AsSpan();
        for (int b = 0; b < batch; b++)
        {
            for (int h = 0; h < _heads; h++)
            {
                int q = b * t * stride + h * hd;
                int y = b * t * d + h * hd;
                var p = Probabilities.Span.Slice((b * _heads + h) * t * t, t * t);

                // dP = dY·Vᵀ [t, t]; dV = Pᵀ·dY [t, hd].
                Gemm.Multiply(false, true, t, t, hd, dy[y..], d, qkvSpan[(q + 2 * d)..], stride, dp, t, accumulate: false);
                Gemm.Multiply(true, false, t, hd, t, p, t, dy[y..], d, dqkv[(q + 2 * d)..], stride, accumulate: false);

                // Softmax backward per row, scaled: dS = scale · P ⊙ (dP − Σⱼ dPⱼ·Pⱼ); masked entries have P = 0.
                for (int i = 0; i < t; i++)
                {
                    var pRow = p.Slice(i * t, i + 1);
                    var dRow = dp.Slice(i * t, t);
                    var visible = dRow[..(i + 1)];
                    float dot = TensorPrimitives.Dot(visible, pRow);
                    TensorPrimitives.Subtract(visible, dot, visible);
                    TensorPrimitives.Multiply(visible, pRow, visible);
                    TensorPrimitives.Multiply(visible, scale, visible);
                    dRow[(i + 1)..].Clear();
                }

                // dQ = dS·K; dK = dSᵀ·Q.
                Gemm.Multiply(false, false, t, hd, t, dp, t, qkvSpan[(q + d)..], stride, dqkv[q..], stride, accumulate: false);
                Gemm.Multiply(true, false, t, hd, t, dp, t, qkvSpan[q..], stride, dqkv[(q + d)..], stride, accumulate: false);
            }
        }

        Qkv.ComputeInputGradient = ComputeInputGradient;
        return Qkv.Backward(qkvGrad);
    }

    /// <summary>
    /// The two projections per position, plus the attention products actually needed under the causal mask:
    /// for the scores Q·Kᵀ and for P·V, each position t pairs with t + 1 positions over all features, so
    /// features · T·(T + 1) per example in total (the products with masked positions are not counted).
    /// </summary>
    public override long MultiplyAccumulates(bool liveOnly) =>
        Qkv.MultiplyAccumulates(liveOnly) + Proj.MultiplyAccumulates(liveOnly) + (long)_features * _positions * (_positions + 1);
}
