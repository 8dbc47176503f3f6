using Occam.Kernels;

namespace Occam.Tests.Kernels;

public class KernelWorkersTests
{
    [Fact]
    public unsafe void RunsEveryTaskExactlyOncePerCall()
    {
        int[] counts = new int[40];
        fixed (int* state = counts)
        {
            for (int call = 0; call < 200; call++)
            {
                int tasks = 1 + (call % counts.Length);
                KernelWorkers.Run(tasks, threadCount: 3, &Count, (nint)state);
                for (int t = 0; t < counts.Length; t++)
                {
                    Assert.Equal(t < tasks ? 1 : 0, counts[t]);
                }

                Array.Clear(counts);
            }
        }
    }

    [Fact]
    public unsafe void NeverUsesMoreThreadsThanAsked()
    {
        int[] threadIds = new int[64];
        fixed (int* state = threadIds)
        {
            KernelWorkers.Run(threadIds.Length, threadCount: 4, &RecordThread, (nint)state);
            for (int call = 0; call < 20; call++)
            {
                KernelWorkers.Run(threadIds.Length, threadCount: 2, &RecordThread, (nint)state);
                Assert.True(threadIds.Distinct().Count() <= 2);
            }
        }
    }

    [Fact]
    public void ConcurrentGemmCallsAllGetCorrectResults()
    {
        const int m = 128, n = 160, k = 256; // above the parallel threshold
        var random = new Random(3);
        float[] a = Enumerable.Range(0, m * k).Select(_ => (float)random.NextDouble()).ToArray();
        float[] b = Enumerable.Range(0, k * n).Select(_ => (float)random.NextDouble()).ToArray();
        float[] expected = new float[m * n];
        Gemm.Multiply(GemmKernelSelection.Best, 1, false, false, m, n, k, a, k, b, n, expected, n, accumulate: false);

        // Calls that find the pool busy run on their own thread; every result must still be the same bits.
        var results = new float[8][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var c = new float[m * n];
            for (int repeat = 0; repeat < 20; repeat++)
            {
                Gemm.Multiply(GemmKernelSelection.Best, 2, false, false, m, n, k, a, k, b, n, c, n, accumulate: false);
            }

            results[i] = c;
        });

        foreach (var c in results)
        {
            Assert.Equal(expected, c);
        }
    }

    private static unsafe void RecordThread(nint state, int task)
    {
        ((int*)state)[task] = Environment.CurrentManagedThreadId;
        Thread.SpinWait(2000);
    }

    private static unsafe void Count(nint state, int task) => Interlocked.Increment(ref ((int*)state)[task]);
}
