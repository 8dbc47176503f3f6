using System.Runtime.InteropServices;
using Occam.Kernels;

namespace Occam.Tests.Kernels;

public class AlignedBufferTests
{
    private static unsafe long Misalignment(AlignedBuffer buffer)
    {
        fixed (float* start = &MemoryMarshal.GetReference(buffer.Span))
        {
            return (nint)start % 64;
        }
    }

    [Fact]
    public void EveryLengthStartsOnA64ByteBoundary()
    {
        var buffer = new AlignedBuffer();
        foreach (int length in new[] { 1, 7, 100, 25_088, 3, 200_704 })
        {
            buffer.Ensure(length);
            Assert.Equal(length, buffer.Length);
            Assert.Equal(length, buffer.Memory.Length);
            Assert.Equal(0, Misalignment(buffer));
        }
    }

    [Fact]
    public void ShrinkingKeepsTheContents()
    {
        var buffer = new AlignedBuffer();
        buffer.Ensure(50);
        for (int i = 0; i < 50; i++)
        {
            buffer.Span[i] = i;
        }

        buffer.Ensure(20);
        buffer.Ensure(50);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (float)i), buffer.Span.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Ensure(-1));
    }
}
