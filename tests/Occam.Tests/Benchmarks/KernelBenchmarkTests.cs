using Occam.Benchmarks;
using Occam.Kernels;

namespace Occam.Tests.Benchmarks;

public class KernelBenchmarkTests
{
    [Fact]
    public void DefaultCasesAreTheSquaresThenTheDenseShapes()
    {
        Assert.Equal(
            ["sgemm_256", "sgemm_512", "sgemm_1024", "sgemm_2048", "dense_fwd_32x784x1024", "dense_wgrad_1024x784x32", "dense_igrad_32x784x1024"],
            KernelBenchmark.DefaultCases.Select(c => c.Name));
        var forward = KernelBenchmark.DefaultCases[4];
        Assert.Equal((false, true, 32, 1024, 784), (forward.TransposeA, forward.TransposeB, forward.M, forward.N, forward.K));
        Assert.Equal(2.0 * 32 * 1024 * 784, forward.Flops);
    }

    [Fact]
    public void RunReturnsAPositiveRatePerCaseInOrder()
    {
        var benchmark = new KernelBenchmark { Repetitions = 3, WarmupCalls = 1, MinRepetitionTime = TimeSpan.FromMilliseconds(1) };
        var results = benchmark.Run([new("tiny", false, false, 16, 16, 16), new("tiny_nt", false, true, 8, 24, 40)]);
        Assert.Equal(["tiny", "tiny_nt"], results.Select(r => r.Name));
        Assert.All(results, r => Assert.True(r.Gflops > 0 && r.MedianGflops > 0 && r.MedianGflops <= r.Gflops));
        Assert.All(results, r => Assert.Equal(Simd.IsaName, r.Isa));
        Assert.Equal(GemmKernelSelection.Describe(GemmKernelSelection.Best), results[0].Kernel);
        Assert.Equal(Gemm.DescribeKernel(false, true, 24, 40), results[1].Kernel);
    }
}
