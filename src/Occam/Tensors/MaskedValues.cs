using System.Numerics;
using System.Runtime.InteropServices;

namespace Occam.Tensors;

/// <summary>
/// Clears the entries a pruning mask (exactly 0 or 1 per entry) marks pruned. Selecting 0 rather than multiplying by
/// the mask matters for optimiser state: Adam's second moment can overflow to +∞, and +∞ · 0 is NaN, which would
/// poison the state (and every checkpoint of it) although the weight itself is gone.
/// </summary>
internal static class MaskedValues
{
    /// <summary>Sets <paramref name="values"/>[i] to 0 wherever <paramref name="mask"/>[i] is 0; live entries are unchanged.</summary>
    public static void ZeroPruned(Span<float> values, ReadOnlySpan<float> mask)
    {
        if (mask.Length != values.Length)
        {
            throw new ArgumentException($"The mask has {mask.Length} entries for {values.Length} values.", nameof(mask));
        }

        int i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            var v = MemoryMarshal.Cast<float, Vector<float>>(values);
            var m = MemoryMarshal.Cast<float, Vector<float>>(mask);
            for (int j = 0; j < v.Length; j++)
            {
                v[j] = Select(v[j], m[j]);
            }

            i = v.Length * Vector<float>.Count;
        }

        for (; i < values.Length; i++)
        {
            if (mask[i] == 0f)
            {
                values[i] = 0f;
            }
        }
    }

    /// <summary>How many entries <paramref name="mask"/> marks pruned (0) whose value is not zero: a pruned weight is always 0.</summary>
    public static long CountPrunedNonzero(ReadOnlySpan<float> values, ReadOnlySpan<float> mask)
    {
        long count = 0;
        for (int i = 0; i < mask.Length && i < values.Length; i++)
        {
            if (mask[i] == 0f && values[i] != 0f)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary><paramref name="value"/> where <paramref name="mask"/> is non-zero, 0 where it is 0.</summary>
    public static Vector<float> Select(Vector<float> value, Vector<float> mask) =>
        Vector.ConditionalSelect(Vector.Equals(mask, Vector<float>.Zero), Vector<float>.Zero, value);

    /// <summary><paramref name="value"/> where <paramref name="mask"/> is non-zero, 0 where it is 0.</summary>
    public static float Select(float value, float mask) => mask == 0f ? 0f : value;
}
