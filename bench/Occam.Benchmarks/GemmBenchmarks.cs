using BenchmarkDotNet.Attributes;
using Occam.Kernels;

namespace Occam.Benchmarks;

/// <summary>Micro-benchmarks of the SGEMM kernel on the dense reference model's shapes (batch 32).</summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private readonly float[] _x = Filled(32 * 784);
    private readonly float[] _w = Filled(1024 * 784);
    private readonly float[] _y = new float[32 * 1024];

    [Benchmark]
    public void DenseForward() => Gemm.Multiply(false, true, 32, 1024, 784, _x, 784, _w, 784, _y, 1024, accumulate: false);

    private static float[] Filled(int n)
    {
        var random = new Random(1);
        var a = new float[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = (float)random.NextDouble() - 0.5f;
        }

        return a;
    }
}
