using Occam.Kernels;
using Occam.Tensors;

namespace Occam.Layers;

/// <summary>
/// A pre-LayerNorm transformer block (GPT-2) on [batch, positions, features]:
/// x = x + attention(ln1(x)); x = x + mlp(ln2(x)), where mlp = Dense(mlpRatio·features) → GELU (tanh) → Dense(features).
/// Parameters are named "ln1.*", "attention.qkv.*", "attention.proj.*", "ln2.*", "mlp.fc.*", "mlp.proj.*".
/// </summary>
public sealed class TransformerBlock : Layer
{
    private readonly int _heads;
    private readonly int _mlpRatio;
    private readonly LayerNorm _norm1 = new();
    private readonly CausalSelfAttention _attention;
    private readonly LayerNorm _norm2 = new();
    private Dense? _fc;
    private Dense? _proj;
    private Tensor? _residual;
    private Tensor? _hidden;
    private Tensor? _activated;
    private Tensor? _output;
    private Tensor? _residualGrad;
    private Tensor? _hiddenGrad;
    private Tensor? _inputGrad;

    /// <summary>Creates a block with <paramref name="heads"/> attention heads and an MLP <paramref name="mlpRatio"/> times wider than the features.</summary>
    public TransformerBlock(int heads, int mlpRatio = 4)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(mlpRatio, 1);
        _heads = heads;
        _mlpRatio = mlpRatio;
        _attention = new CausalSelfAttention(heads);
    }

    /// <summary>Number of attention heads.</summary>
    public int Heads => _heads;

    /// <summary>MLP width as a multiple of the features.</summary>
    public int MlpRatio => _mlpRatio;

    /// <summary>The norm before attention.</summary>
    public LayerNorm Norm1 => _norm1;

    /// <summary>The attention.</summary>
    public CausalSelfAttention Attention => _attention;

    /// <summary>The norm before the MLP.</summary>
    public LayerNorm Norm2 => _norm2;

    /// <summary>The MLP's expansion, features → mlpRatio·features.</summary>
    public Dense MlpFc => _fc ?? throw new InvalidOperationException("TransformerBlock is not built yet.");

    /// <summary>The MLP's projection back, mlpRatio·features → features.</summary>
    public Dense MlpProj => _proj ?? throw new InvalidOperationException("TransformerBlock is not built yet.");

    /// <inheritdoc />
    protected override int[] OnBuild(ReadOnlySpan<int> inputShape, Random random)
    {
        if (inputShape.Length != 2)
        {
            throw new ArgumentException($"A transformer block expects [positions, features], got rank {inputShape.Length}.", nameof(inputShape));
        }

        int features = inputShape[1];
        _norm1.Build(inputShape, random);
        AdoptParameters("ln1", _norm1);
        _attention.Build(inputShape, random);
        AdoptParameters("attention", _attention);
        _norm2.Build(inputShape, random);
        AdoptParameters("ln2", _norm2);
        _fc = new Dense(_mlpRatio * features);
        int[] hiddenShape = _fc.Build(inputShape, random);
        AdoptParameters("mlp.fc", _fc);
        _proj = new Dense(features);
        _proj.Build(hiddenShape, random);
        AdoptParameters("mlp.proj", _proj);
        return inputShape.ToArray();
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        int batch = input.Batch;
        var residual = EnsureBuffer(ref _residual, batch, InputShape);
        var attended = _attention.Forward(_norm1.Forward(input, training), training);
        TensorPrimitives.Add(input.Span, attended.Span, residual.Span);

        var hidden = MlpFc.Forward(_norm2.Forward(residual, training), training);
        _hidden = hidden;
        var activated = EnsureBuffer(ref _activated, batch, MlpFc.OutputShape);
        Activations.GeluForward(hidden.Span, activated.Span);
        var mlp = MlpProj.Forward(activated, training);

        var output = EnsureBuffer(ref _output, batch, OutputShape);
        TensorPrimitives.Add(residual.Span, mlp.Span, output.Span);
        return output;
    }

    /// <inheritdoc />
    public override Tensor Backward(Tensor outputGrad)
    {
        ArgumentNullException.ThrowIfNull(outputGrad);
        var hidden = _hidden ?? throw new InvalidOperationException("Backward before forward.");
        int batch = outputGrad.Batch;

        // The residual stream's gradient is the output gradient plus what flows back through the MLP branch.
        var hiddenGrad = EnsureBuffer(ref _hiddenGrad, batch, MlpFc.OutputShape);
        Activations.GeluBackward(hidden.Span, MlpProj.Backward(outputGrad).Span, hiddenGrad.Span);
        var residualGrad = EnsureBuffer(ref _residualGrad, batch, InputShape);
        TensorPrimitives.Add(outputGrad.Span, _norm2.Backward(MlpFc.Backward(hiddenGrad)).Span, residualGrad.Span);

        var inputGrad = EnsureBuffer(ref _inputGrad, batch, InputShape);
        TensorPrimitives.Add(residualGrad.Span, _norm1.Backward(_attention.Backward(residualGrad)).Span, inputGrad.Span);
        return inputGrad;
    }

    /// <inheritdoc />
    public override long MultiplyAccumulates(bool liveOnly) =>
        _attention.MultiplyAccumulates(liveOnly) + MlpFc.MultiplyAccumulates(liveOnly) + MlpProj.MultiplyAccumulates(liveOnly);
}
