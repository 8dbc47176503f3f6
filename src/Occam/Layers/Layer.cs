using Occam.Tensors;

namespace Occam.Layers;

/// <summary>
/// A differentiable building block with an explicit forward and backward pass over buffers it owns
/// (the style of llm.c). Shapes are per example: the batch is the first dimension of every tensor
/// and is not part of <see cref="InputShape"/> or <see cref="OutputShape"/>.
/// </summary>
/// <remarks>
/// Contract: <see cref="Build"/> is called once with the per-example input shape and a seeded
/// random source, and creates the parameters. <see cref="Forward"/> returns a tensor owned by the
/// layer, valid until the next forward. <see cref="Backward"/> takes the gradient of the loss with
/// respect to that output, overwrites every parameter's <see cref="Parameter.Grad"/>, and returns the
/// gradient with respect to the input (owned by the layer); when <see cref="ComputeInputGradient"/>
/// is false the returned tensor's contents are unspecified and must not be used.
/// </remarks>
public abstract class Layer
{
    private readonly List<Parameter> _parameters = [];
    private int[]? _inputShape;
    private int[]? _outputShape;

    /// <summary>Per-example input shape; valid after <see cref="Build"/>.</summary>
    public ReadOnlySpan<int> InputShape => _inputShape ?? throw NotBuilt();

    /// <summary>Per-example output shape; valid after <see cref="Build"/>.</summary>
    public ReadOnlySpan<int> OutputShape => _outputShape ?? throw NotBuilt();

    /// <summary>True once <see cref="Build"/> has run.</summary>
    public bool IsBuilt => _outputShape is not null;

    /// <summary>
    /// Whether <see cref="Backward"/> must compute the input gradient. The first layer of a model
    /// does not need it, and skipping it saves a third of a dense layer's backward cost.
    /// </summary>
    public bool ComputeInputGradient { get; set; } = true;

    /// <summary>This layer's parameters and those of its children, in a stable order.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Creates the parameters for the given per-example input shape and returns the output shape.</summary>
    public int[] Build(ReadOnlySpan<int> inputShape, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (IsBuilt)
        {
            throw new InvalidOperationException($"{GetType().Name} is already built.");
        }

        _inputShape = inputShape.ToArray();
        _outputShape = OnBuild(inputShape, random);
        return (int[])_outputShape.Clone();
    }

    /// <summary>Computes the output for a batch; <paramref name="training"/> enables dropout and caches for backward.</summary>
    public abstract Tensor Forward(Tensor input, bool training);

    /// <summary>Back-propagates <paramref name="outputGrad"/>; see the class remarks for the contract.</summary>
    public abstract Tensor Backward(Tensor outputGrad);

    /// <summary>
    /// Multiply-accumulate count of one example's forward pass through the weight products of this layer
    /// (element-wise work is not counted). With <paramref name="liveOnly"/>, pruned (zero) weights are left out.
    /// Training FLOPs per example are counted as 3 × 2 × this: forward, input gradient and weight gradient.
    /// </summary>
    public virtual long MultiplyAccumulates(bool liveOnly) => 0;

    /// <summary>Creates the parameters and returns the per-example output shape.</summary>
    protected abstract int[] OnBuild(ReadOnlySpan<int> inputShape, Random random);

    /// <summary>Registers a new parameter with a local name.</summary>
    protected Parameter AddParameter(string name, bool isPrunable, params int[] shape)
    {
        var p = new Parameter(name, isPrunable, shape);
        _parameters.Add(p);
        return p;
    }

    /// <summary>Registers the parameters of a child layer under <paramref name="prefix"/>.</summary>
    protected void AdoptParameters(string prefix, Layer child)
    {
        ArgumentNullException.ThrowIfNull(child);
        foreach (var p in child.Parameters)
        {
            p.AddPrefix(prefix);
            _parameters.Add(p);
        }
    }

    /// <summary>Ensures <paramref name="buffer"/> holds <paramref name="batch"/> rows of <paramref name="rowShape"/>.</summary>
    protected static Tensor EnsureBuffer(ref Tensor? buffer, int batch, ReadOnlySpan<int> rowShape)
    {
        if (buffer is null)
        {
            int[] shape = new int[rowShape.Length + 1];
            shape[0] = batch;
            rowShape.CopyTo(shape.AsSpan(1));
            buffer = new Tensor(shape);
        }
        else if (buffer.Batch != batch)
        {
            buffer.SetBatch(batch);
        }

        return buffer;
    }

    private InvalidOperationException NotBuilt() => new($"{GetType().Name} is not built yet.");
}
