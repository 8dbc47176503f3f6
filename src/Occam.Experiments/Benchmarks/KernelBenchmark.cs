using System.Diagnostics;
using Occam.Kernels;

namespace Occam.Benchmarks;

/// <summary>
/// Measures SGEMM throughput (GFLOP/s) on square matrices and on the dense reference model's shapes at batch 32
/// (784 → 1024): each case is warmed up, then timed over several repetitions of at least
/// <see cref="MinRepetitionTime"/> each. Uses <see cref="Parallelism.ThreadCount"/> threads; each result names the
/// SIMD path and the kernel that ran, since the runtime's switches (<c>DOTNET_EnableAVX512=0</c>, …) change both.
/// </summary>
public sealed class KernelBenchmark
{
    /// <summary>The default cases: square n = 256…2048, then the dense layer's forward and two backward products.</summary>
    public static IReadOnlyList<GemmBenchmarkCase> DefaultCases { get; } =
    [
        new("sgemm_256", false, false, 256, 256, 256),
        new("sgemm_512", false, false, 512, 512, 512),
        new("sgemm_1024", false, false, 1024, 1024, 1024),
        new("sgemm_2048", false, false, 2048, 2048, 2048),
        // Forward: Y[32×1024] = X[32×784]·Wᵀ with W stored [1024×784].
        new("dense_fwd_32x784x1024", false, true, 32, 1024, 784),
        // Weight gradient: dW[1024×784] = dYᵀ·X with dY [32×1024].
        new("dense_wgrad_1024x784x32", true, false, 1024, 784, 32),
        // Input gradient: dX[32×784] = dY[32×1024]·W.
        new("dense_igrad_32x784x1024", false, false, 32, 784, 1024),
    ];

    /// <summary>Timed repetitions per case (the best and the median are reported).</summary>
    public int Repetitions { get; init; } = 7;

    /// <summary>Untimed calls before timing, to compile, fault in pages and fill the pack buffers.</summary>
    public int WarmupCalls { get; init; } = 2;

    /// <summary>Minimum wall time of one repetition; short multiplies are repeated within it.</summary>
    public TimeSpan MinRepetitionTime { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Times every case in <paramref name="cases"/> (default: <see cref="DefaultCases"/>), in order.</summary>
    public IReadOnlyList<KernelBenchmarkResult> Run(IReadOnlyList<GemmBenchmarkCase>? cases = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Repetitions, 1);
        cases ??= DefaultCases;
        var results = new List<KernelBenchmarkResult>(cases.Count);
        foreach (var benchmarkCase in cases)
        {
            results.Add(Measure(benchmarkCase));
        }

        return results;
    }

    /// <summary>Times one case.</summary>
    public KernelBenchmarkResult Measure(GemmBenchmarkCase benchmarkCase)
    {
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        var (m, n, k) = (benchmarkCase.M, benchmarkCase.N, benchmarkCase.K);
        var random = new Random(1234);
        float[] a = RandomMatrix(m * k, random);
        float[] b = RandomMatrix(k * n, random);
        float[] c = new float[m * n];
        int lda = benchmarkCase.TransposeA ? m : k;
        int ldb = benchmarkCase.TransposeB ? k : n;
        void Call() => Gemm.Multiply(benchmarkCase.TransposeA, benchmarkCase.TransposeB, m, n, k, a, lda, b, ldb, c, n, accumulate: false);

        for (int i = 0; i < WarmupCalls; i++)
        {
            Call();
        }

        var rates = new double[Repetitions];
        long minTicks = (long)(MinRepetitionTime.TotalSeconds * Stopwatch.Frequency);
        for (int r = 0; r < Repetitions; r++)
        {
            int calls = 0;
            long start = Stopwatch.GetTimestamp();
            long elapsed;
            do
            {
                Call();
                calls++;
                elapsed = Stopwatch.GetTimestamp() - start;
            }
            while (elapsed < minTicks);

            rates[r] = benchmarkCase.Flops * calls / ((double)elapsed / Stopwatch.Frequency) / 1e9;
        }

        Array.Sort(rates);
        return new KernelBenchmarkResult(
            benchmarkCase.Name, rates[^1], rates[rates.Length / 2], Simd.IsaName,
            Gemm.DescribeKernel(benchmarkCase.TransposeA, benchmarkCase.TransposeB, n, k));
    }

    private static float[] RandomMatrix(int length, Random random)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextDouble() - 0.5);
        }

        return values;
    }
}
