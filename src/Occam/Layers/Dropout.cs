using Occam.Kernels;
using Occam.Tensors;

namespace Occam.Layers;

/// <summary>
/// Inverted dropout: in training each element is kept with probability 1 − rate and scaled by 1 / (1 − rate),
/// so inference is the identity. Masks come from the layer's own seeded generator (SplitMix64, much faster than
/// <see cref="Random"/> for a mask per step), so a run is reproducible. An element is dropped when 32 random bits
/// fall below rate·2³², i.e. with probability rate to within 2⁻³².
/// </summary>
public sealed class Dropout : Layer
{
    private readonly int _seed;
    private readonly uint _dropBelow;
    private SplitMix64 _random;
    private bool _masked;
    private Tensor? _mask;
    private Tensor? _output;
    private Tensor? _inputGrad;

    /// <summary>Creates dropout that zeroes a fraction <paramref name="rate"/> in [0, 1) of the elements during training.</summary>
    public Dropout(float rate, int seed)
    {
        if (!(rate >= 0f && rate < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must be in [0, 1).");
        }

        Rate = rate;
        _seed = seed;
        _dropBelow = (uint)(rate * 4294967296.0);
        _random = new SplitMix64((ulong)seed);
    }

    /// <summary>Probability of dropping an element in training.</summary>
    public float Rate { get; }

    /// <summary>The seed the mask generator started from.</summary>
    internal int Seed => _seed;

    /// <summary>The mask generator's state, saved by checkpoints so a resumed run draws the masks it would have drawn.</summary>
    internal ulong RandomState
    {
        get => _random.State;
        set => _random = new SplitMix64(value);
    }

    /// <summary>Restarts the mask sequence from the seed, so the next training forward draws the first mask again.</summary>
    internal void RestartMasks() => _random = new SplitMix64((ulong)_seed);

    /// <inheritdoc />
    protected override int[] OnBuild(ReadOnlySpan<int> inputShape, Random random) => inputShape.ToArray();

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        _masked = training && Rate > 0f;
        if (!_masked)
        {
            // The identity: pass the input on rather than copy it (the next layer only reads it).
            return input;
        }

        var output = EnsureBuffer(ref _output, input.Batch, OutputShape);

        var mask = EnsureBuffer(ref _mask, input.Batch, OutputShape).Span;
        float scale = 1f / (1f - Rate);
        // Branch-free (keep = 1 unless the 32-bit draw is below the threshold): random outcomes mispredict a branch.
        ulong dropBelow = _dropBelow;
        for (int i = 0; i < mask.Length; i += 2)
        {
            ulong bits = _random.Next();
            mask[i] = scale * (float)((((bits & uint.MaxValue) - dropBelow) >> 63) ^ 1);
            if (i + 1 < mask.Length)
            {
                mask[i + 1] = scale * (float)((((bits >> 32) - dropBelow) >> 63) ^ 1);
            }
        }

        TensorPrimitives.Multiply(input.Span, mask, output.Span);
        return output;
    }

    /// <inheritdoc />
    public override Tensor Backward(Tensor outputGrad)
    {
        ArgumentNullException.ThrowIfNull(outputGrad);
        if (!_masked)
        {
            return outputGrad;
        }

        var inputGrad = EnsureBuffer(ref _inputGrad, outputGrad.Batch, InputShape);
        TensorPrimitives.Multiply(outputGrad.Span, _mask!.Span, inputGrad.Span);
        return inputGrad;
    }
}
