namespace Occam.Benchmarks;

/// <summary>Measured throughput of one benchmark case.</summary>
/// <param name="Name">The case's name, e.g. <c>sgemm_1024</c>.</param>
/// <param name="Gflops">Best GFLOP/s over the repetitions (the least disturbed by other load).</param>
/// <param name="MedianGflops">Median GFLOP/s over the repetitions.</param>
public sealed record KernelBenchmarkResult(string Name, double Gflops, double MedianGflops);
