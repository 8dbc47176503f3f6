namespace Occam.Tensors;

/// <summary>
/// A contiguous, row-major float32 tensor. The first dimension is the batch: layers keep one tensor
/// per buffer and change only its batch size, so the storage grows once and is then reused.
/// </summary>
public sealed class Tensor
{
    private float[] _data;
    private readonly int[] _shape;

    /// <summary>Creates a zero-filled tensor of the given shape.</summary>
    public Tensor(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length == 0)
        {
            throw new ArgumentException("A tensor needs at least one dimension.", nameof(shape));
        }

        _shape = (int[])shape.Clone();
        Length = CheckedProduct(_shape);
        _data = new float[Length];
    }

    /// <summary>The backing array; it may be longer than <see cref="Length"/> after the batch shrank.</summary>
    public float[] Data => _data;

    /// <summary>The dimensions; do not modify, use <see cref="SetBatch"/>.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Size of the first dimension.</summary>
    public int Batch => _shape[0];

    /// <summary>Elements per batch entry (the product of all dimensions but the first).</summary>
    public int RowLength => CheckedProduct(_shape.AsSpan(1));

    /// <summary>Number of live elements (the product of the shape).</summary>
    public int Length { get; private set; }

    /// <summary>The live elements.</summary>
    public Span<float> Span => _data.AsSpan(0, Length);

    /// <summary>Size of dimension <paramref name="axis"/>.</summary>
    public int Dim(int axis) => _shape[axis];

    /// <summary>
    /// Sets the first dimension, growing the storage if needed. Contents are unspecified afterwards
    /// unless the size did not grow.
    /// </summary>
    public void SetBatch(int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        _shape[0] = batch;
        int length = CheckedProduct(_shape);
        if (length > _data.Length)
        {
            _data = new float[length];
        }

        Length = length;
    }

    /// <summary>Sets every live element to zero.</summary>
    public void Clear() => Span.Clear();

    /// <summary>Copies the live elements of <paramref name="source"/>, which must have the same length.</summary>
    public void CopyFrom(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Length != Length)
        {
            throw new ArgumentException($"Length mismatch: {source.Length} vs {Length}.", nameof(source));
        }

        source.Span.CopyTo(Span);
    }

    /// <summary>A deep copy with the same shape.</summary>
    public Tensor Clone()
    {
        var copy = new Tensor(_shape);
        Span.CopyTo(copy.Span);
        return copy;
    }

    /// <summary>Creates a tensor holding a copy of <paramref name="values"/> with the given shape.</summary>
    public static Tensor From(ReadOnlySpan<float> values, params int[] shape)
    {
        var t = new Tensor(shape);
        if (values.Length != t.Length)
        {
            throw new ArgumentException($"{values.Length} values do not fill shape [{string.Join(", ", shape)}].", nameof(values));
        }

        values.CopyTo(t.Span);
        return t;
    }

    /// <inheritdoc />
    public override string ToString() => $"Tensor[{string.Join(", ", _shape)}]";

    private static int CheckedProduct(ReadOnlySpan<int> shape)
    {
        long product = 1;
        foreach (int d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException("Tensor dimensions must be non-negative.");
            }

            product *= d;
            if (product > Array.MaxLength)
            {
                throw new ArgumentException("Tensor is too large.");
            }
        }

        return (int)product;
    }
}
