using Occam.Tensors;

namespace Occam.Pruning;

/// <summary>
/// A copy of parameter values (and masks) that can be written back, e.g. the best model so far or a rewind point.
/// Buffers are allocated on the first capture and reused after.
/// </summary>
public sealed class ParameterSnapshot
{
    private float[][] _values = [];
    private float[]?[] _masks = [];

    /// <summary>True once something was captured.</summary>
    public bool HasValue { get; private set; }

    /// <summary>The epoch the snapshot was taken at (set by the caller's meaning).</summary>
    public int Epoch { get; private set; }

    /// <summary>Copies the values and masks of <paramref name="parameters"/>.</summary>
    public void Capture(IReadOnlyList<Parameter> parameters, int epoch)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (_values.Length != parameters.Count)
        {
            _values = new float[parameters.Count][];
            _masks = new float[parameters.Count][];
        }

        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            Copy(p.Value.Span, ref _values[i]!);
            if (p.Mask is null)
            {
                _masks[i] = null;
            }
            else
            {
                Copy(p.Mask.Span, ref _masks[i]!);
            }
        }

        Epoch = epoch;
        HasValue = true;
    }

    /// <summary>
    /// Writes the values back into <paramref name="parameters"/> (the same model, or one of the same architecture).
    /// With <paramref name="includeMasks"/>, masks are restored too (a parameter captured dense gets a null mask).
    /// </summary>
    public void Restore(IReadOnlyList<Parameter> parameters, bool includeMasks = true)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!HasValue)
        {
            throw new InvalidOperationException("Nothing was captured.");
        }

        if (parameters.Count != _values.Length)
        {
            throw new ArgumentException($"Snapshot holds {_values.Length} parameters, the model has {parameters.Count}.", nameof(parameters));
        }

        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            if (p.Length != _values[i].Length)
            {
                throw new ArgumentException($"Parameter {p.Name} has {p.Length} values, the snapshot {_values[i].Length}.", nameof(parameters));
            }

            _values[i].CopyTo(p.Value.Span);
            p.MarkChanged();
            if (includeMasks)
            {
                if (_masks[i] is float[] mask)
                {
                    p.Mask ??= new Tensor(p.Length);
                    mask.CopyTo(p.Mask.Span);
                }
                else
                {
                    p.Mask = null;
                }
            }
        }
    }

    /// <summary>Forgets the captured state (buffers are kept).</summary>
    public void Clear() => HasValue = false;

    /// <summary>The captured values per parameter (for checkpoints); empty before the first capture.</summary>
    internal IReadOnlyList<float[]> Values => _values;

    /// <summary>The captured masks per parameter, null for a dense one (for checkpoints).</summary>
    internal IReadOnlyList<float[]?> MaskValues => _masks;

    /// <summary>Makes this snapshot an independent copy of <paramref name="other"/> (reusing buffers where sizes match).</summary>
    internal void CopyFrom(ParameterSnapshot other)
    {
        if (!other.HasValue)
        {
            HasValue = false;
            return;
        }

        if (_values.Length != other._values.Length)
        {
            _values = new float[other._values.Length][];
            _masks = new float[other._values.Length][];
        }

        for (int i = 0; i < _values.Length; i++)
        {
            Copy(other._values[i], ref _values[i]!);
            if (other._masks[i] is float[] mask)
            {
                Copy(mask, ref _masks[i]!);
            }
            else
            {
                _masks[i] = null;
            }
        }

        Epoch = other.Epoch;
        HasValue = true;
    }

    /// <summary>Adopts arrays read from a checkpoint as the captured state.</summary>
    internal void Load(float[][] values, float[]?[] masks, int epoch)
    {
        _values = values;
        _masks = masks;
        Epoch = epoch;
        HasValue = true;
    }

    private static void Copy(ReadOnlySpan<float> source, ref float[] target)
    {
        if (target is null || target.Length != source.Length)
        {
            target = new float[source.Length];
        }

        source.CopyTo(target);
    }
}
