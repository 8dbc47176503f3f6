namespace Occam.Pruning;

/// <summary>
/// Sort keys that order entries by a non-negative score, ties broken by position: the score's IEEE bits (monotonic
/// for non-negative floats) in the high half, the position in the low half. Sorting these longs is a total,
/// deterministic order with no comparer call per element.
/// </summary>
internal static class PruningSelection
{
    /// <summary>Packs a non-negative score and a position.</summary>
    public static long Key(float score, uint position) => ((long)BitConverter.SingleToInt32Bits(score) << 32) | position;

    /// <summary>The position packed in <paramref name="key"/>.</summary>
    public static uint Position(long key) => (uint)key;

    /// <summary>Grows <paramref name="buffer"/> to hold at least <paramref name="length"/> entries.</summary>
    public static T[] Ensure<T>(ref T[] buffer, long length)
    {
        if (buffer.Length < length)
        {
            buffer = new T[checked((int)length)];
        }

        return buffer;
    }
}
