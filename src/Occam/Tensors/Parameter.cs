namespace Occam.Tensors;

/// <summary>
/// A trainable tensor with its gradient. Layers create parameters with a local name ("weight");
/// containers prefix it ("0.weight", "blocks.1.attention.qkv.weight") so every name is stable and unique.
/// </summary>
public sealed class Parameter
{
    private readonly Tensor _value;
    private Tensor? _mask;
    private SparseWeights? _sparse;

    /// <summary>Creates a zero-valued parameter of the given shape.</summary>
    public Parameter(string name, bool isPrunable, params int[] shape)
    {
        Name = name;
        IsPrunable = isPrunable;
        _value = new Tensor(shape);
        Grad = new Tensor(shape);
    }

    /// <summary>Full dotted name, stable across runs.</summary>
    public string Name { get; private set; }

    /// <summary>
    /// True for weight matrices and kernels, which pruning may zero; false for biases, norms and embeddings.
    /// </summary>
    public bool IsPrunable { get; }

    /// <summary>
    /// The values. While a current <see cref="Sparse"/> copy holds updates the dense tensor has not seen (the optimisers
    /// update only the compact values each step, see <see cref="SparseWeights.MarkDenseStale"/>), reading this writes
    /// them back first, so every reader sees the latest values.
    /// </summary>
    public Tensor Value
    {
        get
        {
            WriteBackCompactValues();
            return _value;
        }
    }

    /// <summary>
    /// The gradient of the loss with respect to <see cref="Value"/>, overwritten (not accumulated) by each backward pass.
    /// Exception: while <see cref="Sparse"/> is current and an optimiser reads its compact gradients
    /// (<see cref="SparseWeights.WritesDenseGradient"/> off), the live gradients are only in <see cref="SparseWeights.Grads"/>.
    /// </summary>
    public Tensor Grad { get; }

    /// <summary>
    /// The pruning mask (1 alive, 0 pruned), or null while the tensor is fully dense. Owned by the pruning code.
    /// </summary>
    public Tensor? Mask
    {
        get => _mask;
        set
        {
            _mask = value;
            MarkChanged();
        }
    }

    /// <summary>
    /// Bumped whenever the mask is replaced or edited, or the values are overwritten outside an optimiser step
    /// (see <see cref="MarkChanged"/>); layers compare it to know when their sparse copy must be rebuilt.
    /// </summary>
    public long Version { get; private set; }

    /// <summary>
    /// The compact copy of the live weights that a layer running sparse kernels keeps (null while the layer runs dense).
    /// While it is current (<see cref="SparseWeights.IsCurrent"/>) an optimiser must update its values together with
    /// <see cref="Value"/>; the built-in optimisers do.
    /// </summary>
    public SparseWeights? Sparse
    {
        get => _sparse;
        set
        {
            // Updates only the outgoing copy holds must reach the dense values before it is dropped.
            WriteBackCompactValues();
            _sparse = value;
        }
    }

    /// <summary>
    /// The crossovers its layer's kernel choice was made by, per batch size and mode (see <see cref="Layers.KernelChoice"/>):
    /// part of a run's state, kept in checkpoints so a resumed run chooses as the uninterrupted one did.
    /// </summary>
    internal Dictionary<(int Rows, bool Training), double>? KernelCrossovers { get; set; }

    /// <summary>
    /// Declares that <see cref="Mask"/> was edited in place or <see cref="Value"/> was overwritten (not by an optimiser
    /// step), so that any sparse copy is rebuilt from the dense values before it is used again.
    /// </summary>
    public void MarkChanged()
    {
        WriteBackCompactValues();
        Version++;
    }

    /// <summary>Number of elements.</summary>
    public int Length => _value.Length;

    /// <summary>Number of nonzero values; pruned weights are exactly zero, so for a pruned tensor this is its live size.</summary>
    public long CountNonzero()
    {
        long count = 0;
        foreach (float v in Value.Span)
        {
            if (v != 0f)
            {
                count++;
            }
        }

        return count;
    }

    private void WriteBackCompactValues()
    {
        if (_sparse is { DenseStale: true } sparse && sparse.Version == Version)
        {
            sparse.WriteDense(_value);
        }
    }

    /// <summary>Prepends a container's name: "weight" becomes "prefix.weight".</summary>
    internal void AddPrefix(string prefix) => Name = $"{prefix}.{Name}";

    /// <inheritdoc />
    public override string ToString() => $"{Name} {Value}";
}
