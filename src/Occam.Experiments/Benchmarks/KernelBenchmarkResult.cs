namespace Occam.Benchmarks;

/// <summary>Measured throughput of one benchmark case.</summary>
/// <param name="Name">The case's name, e.g. <c>sgemm_1024</c>.</param>
/// <param name="Gflops">Best GFLOP/s over the repetitions (the least disturbed by other load).</param>
/// <param name="MedianGflops">Median GFLOP/s over the repetitions.</param>
/// <param name="Isa">The SIMD path that ran (<see cref="Occam.Kernels.Simd.IsaName"/>: avx512, avx2, neon, sse, scalar).</param>
/// <param name="Kernel">The GEMM kernel that ran, e.g. <c>gemm 8x32 vector512</c> or <c>dot 2x4 vector512</c>.</param>
public sealed record KernelBenchmarkResult(string Name, double Gflops, double MedianGflops, string Isa, string Kernel);
