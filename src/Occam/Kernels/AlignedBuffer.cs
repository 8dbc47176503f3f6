namespace Occam.Kernels;

/// <summary>
/// A reusable float buffer whose first element sits on a 64-byte boundary, for operands whose rows the sparse kernels
/// load as whole AVX-512 vectors: an unaligned 64-byte load spans two cache lines, and on the reference machine that
/// made the sparse forward pass 1.4× slower (docs/PERFORMANCE.md, round 5). The storage lives on the pinned heap,
/// so the alignment holds for the buffer's lifetime.
/// </summary>
internal sealed class AlignedBuffer
{
    private const int AlignmentBytes = 64;
    private const int AlignmentFloats = AlignmentBytes / sizeof(float);

    private float[] _storage = [];
    private int _offset;

    /// <summary>Floats in use (the length last asked of <see cref="Ensure"/>).</summary>
    public int Length { get; private set; }

    /// <summary>The <see cref="Length"/> floats in use, starting on a 64-byte boundary.</summary>
    public Memory<float> Memory => _storage.AsMemory(_offset, Length);

    /// <summary>The <see cref="Length"/> floats in use.</summary>
    public Span<float> Span => _storage.AsSpan(_offset, Length);

    /// <summary>
    /// Makes <see cref="Length"/> <paramref name="length"/>, growing the storage if needed. Contents are unspecified
    /// afterwards unless the storage did not grow.
    /// </summary>
    public void Ensure(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length > _storage.Length - _offset)
        {
            _storage = GC.AllocateUninitializedArray<float>(length + AlignmentFloats - 1, pinned: true);
            _offset = OffsetToBoundary(_storage);
        }

        Length = length;
    }

    private static unsafe int OffsetToBoundary(float[] storage)
    {
        fixed (float* start = storage)
        {
            int misalignment = (int)((nint)start % AlignmentBytes);
            return misalignment == 0 ? 0 : (AlignmentBytes - misalignment) / sizeof(float);
        }
    }
}
