namespace Occam.Kernels;

/// <summary>
/// Steele, Lea and Flood's SplitMix64 generator: a 64-bit counter passed through a mixing function.
/// A few nanoseconds per 64 random bits where a seeded <see cref="Random"/> takes tens, which matters when
/// every training step draws a dropout mask; the same seed always gives the same sequence. The whole state is one
/// 64-bit word (<see cref="State"/>), so checkpoints can save it and a generator created from it continues the sequence.
/// </summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    /// <summary>The generator's whole state; <c>new SplitMix64(State)</c> continues from here.</summary>
    public readonly ulong State => _state;

    /// <summary>The next 64 random bits.</summary>
    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// A random integer in [0, <paramref name="bound"/>) by Lemire's multiply-shift of 32 random bits (bias below
    /// bound / 2³², negligible for shuffling).
    /// </summary>
    public int NextInt(int bound) => (int)(((Next() >> 32) * (ulong)(uint)bound) >> 32);

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates).</summary>
    public void Shuffle(Span<int> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
