namespace Occam.Kernels;

/// <summary>
/// Steele, Lea and Flood's SplitMix64 generator: a 64-bit counter passed through a mixing function.
/// A few nanoseconds per 64 random bits where a seeded <see cref="Random"/> takes tens, which matters when
/// every training step draws a dropout mask; the same seed always gives the same sequence.
/// </summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    /// <summary>The next 64 random bits.</summary>
    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
