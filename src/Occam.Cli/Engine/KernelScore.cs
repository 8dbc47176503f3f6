namespace Occam.Cli.Engine;

/// <summary>One kernel benchmark's result.</summary>
/// <param name="Name">Benchmark name, e.g. <c>sgemm_256</c>; used as the JSON key.</param>
/// <param name="GigaflopsPerSecond">Measured throughput in GFLOP/s.</param>
internal sealed record KernelScore(string Name, double GigaflopsPerSecond);
