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

    /// <summary>
    /// Sets <see cref="ThreadCount"/> to <paramref name="threads"/> until the returned scope is disposed, which restores the
    /// count before it, so a caller sharing the process (a command run in-process by a test) leaves it as it found it.
    /// </summary>
    public static IDisposable Use(int threads)
    {
        var scope = new Scope(_threadCount);
        ThreadCount = threads;
        return scope;
    }

    private sealed class Scope(int previous) : IDisposable
    {
        public void Dispose() => _threadCount = previous;
    }
}
