namespace Occam.Kernels;

/// <summary>
/// How many threads the kernels use. Results are bit-identical for a given thread count: work is split
/// so that no floating-point sum depends on the split.
/// </summary>
public static class Parallelism
{
    private static int _threadCount = Environment.ProcessorCount;

    /// <summary>Threads the kernels may use (default: the processor count).</summary>
    public static int ThreadCount
    {
        get => _threadCount;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _threadCount = value;
        }
    }
}
