namespace Occam.Tensors;

/// <summary>
/// A trainable tensor with its gradient. Layers create parameters with a local name ("weight");
/// containers prefix it ("0.weight", "blocks.1.attention.qkv.weight") so every name is stable and unique.
/// </summary>
public sealed class Parameter
{
    /// <summary>Creates a zero-valued parameter of the given shape.</summary>
    public Parameter(string name, bool isPrunable, params int[] shape)
    {
        Name = name;
        IsPrunable = isPrunable;
        Value = new Tensor(shape);
        Grad = new Tensor(shape);
    }

    /// <summary>Full dotted name, stable across runs.</summary>
    public string Name { get; private set; }

    /// <summary>
    /// True for weight matrices and kernels, which pruning may zero; false for biases, norms and embeddings.
    /// </summary>
    public bool IsPrunable { get; }

    /// <summary>The values.</summary>
    public Tensor Value { get; }

    /// <summary>
    /// The gradient of the loss with respect to <see cref="Value"/>, overwritten (not accumulated) by each backward pass.
    /// </summary>
    public Tensor Grad { get; }

    /// <summary>
    /// The pruning mask (1 alive, 0 pruned), or null while the tensor is fully dense. Owned by the pruning code.
    /// </summary>
    public Tensor? Mask { get; set; }

    /// <summary>Number of elements.</summary>
    public int Length => Value.Length;

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

    /// <summary>Prepends a container's name: "weight" becomes "prefix.weight".</summary>
    internal void AddPrefix(string prefix) => Name = $"{prefix}.{Name}";

    /// <inheritdoc />
    public override string ToString() => $"{Name} {Value}";
}
