using Occam.Kernels;

namespace Occam.Tensors;

/// <summary>
/// The live weights of a masked [rows, columns] parameter in compact form: the <see cref="SparsePattern"/> of its
/// mask, the live values and their gradients in CSR order. A layer builds it when the mask changes (the parameter's
/// <see cref="Parameter.Version"/> moves) and its density is low enough; optimisers then update <see cref="Values"/>
/// and mark the dense <see cref="Parameter.Value"/> stale, which writes them back the next time anything reads it — so
/// the dense tensor stays the source of truth that everything else (pruning criteria, snapshots, saving) reads, while a
/// training step (kernels, optimiser, masks) touches only the live entries.
/// </summary>
public sealed class SparseWeights
{
    private readonly float[] _values;
    private readonly float[] _grads;

    private SparseWeights(SparsePattern pattern, long version)
    {
        Pattern = pattern;
        Version = version;
        _values = new float[pattern.NonzeroCount];
        _grads = new float[pattern.NonzeroCount];
    }

    /// <summary>Where the live entries are.</summary>
    public SparsePattern Pattern { get; }

    /// <summary>The parameter version this copy was built from.</summary>
    public long Version { get; }

    /// <summary>The live values, CSR order.</summary>
    public float[] Values => _values;

    /// <summary>The gradients of the live values from the last backward pass, CSR order.</summary>
    public float[] Grads => _grads;

    /// <summary>
    /// Whether a backward pass also writes the live gradients into the dense <see cref="Parameter.Grad"/> (true until
    /// an optimiser that reads <see cref="Grads"/> directly turns it off: scattering into the dense gradient touches
    /// most of its cache lines at any density and measured a third of a sparse training step).
    /// </summary>
    public bool WritesDenseGradient { get; set; } = true;

    /// <summary>True while <see cref="Values"/> hold updates the parameter's dense values have not received.</summary>
    public bool DenseStale { get; private set; }

    /// <summary>
    /// Records that <see cref="Values"/> were updated without the dense values (an optimiser step): writing them back
    /// on every step touched most cache lines of the dense tensor at any density (0.3–0.5 ms at density 0.13 to 0.36,
    /// as much as a dense Adam step), while their readers come once an epoch.
    /// </summary>
    public void MarkDenseStale() => DenseStale = true;

    /// <summary>Writes <see cref="Values"/> into <paramref name="dense"/> (the parameter's values) and clears <see cref="DenseStale"/>.</summary>
    internal void WriteDense(Tensor dense)
    {
        Pattern.Scatter(_values, dense.Span);
        DenseStale = false;
    }

    /// <summary>Writes the live gradients into <paramref name="parameter"/>'s dense gradient when <see cref="WritesDenseGradient"/> is set.</summary>
    public void PublishGradients(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (WritesDenseGradient)
        {
            Pattern.Scatter(_grads, parameter.Grad.Span);
        }
    }

    /// <summary>
    /// Builds the compact copy of <paramref name="parameter"/> viewed as a [rows, columns] matrix (every entry is live when
    /// it has no mask) and zeroes the dense gradient, whose pruned entries the sparse kernels then never write.
    /// </summary>
    public static SparseWeights Build(Parameter parameter, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        var pattern = parameter.Mask is { } mask
            ? SparsePattern.FromMask(mask.Span, rows, columns)
            : SparsePattern.Full(rows, columns);
        var weights = new SparseWeights(pattern, parameter.Version);
        pattern.Gather(parameter.Value.Span, weights._values);
        parameter.Grad.Clear();
        return weights;
    }

    /// <summary>True while <paramref name="parameter"/> has not changed (mask or values) since this copy was built.</summary>
    public bool IsCurrent(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return ReferenceEquals(parameter.Sparse, this) && parameter.Version == Version;
    }
}
