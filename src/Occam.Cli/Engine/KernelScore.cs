namespace Occam.Cli.Engine;

/// <summary>One kernel benchmark's result.</summary>
/// <param name="Name">Benchmark case, e.g. <c>sgemm_256</c>.</param>
/// <param name="Isa">The SIMD path that ran, e.g. <c>avx512</c>.</param>
/// <param name="Kernel">The GEMM kernel that ran, e.g. <c>gemm 8x32 vector512</c>.</param>
/// <param name="GigaflopsPerSecond">Measured throughput in GFLOP/s.</param>
internal sealed record KernelScore(string Name, string Isa, string Kernel, double GigaflopsPerSecond);
