namespace Occam.Benchmarks;

/// <summary>A whole <see cref="PaperBenchmark"/> run.</summary>
/// <param name="Started">When the run started (UTC).</param>
/// <param name="Command">The command line that produced it, as the report shows it.</param>
/// <param name="Cores">Logical processors of the machine.</param>
/// <param name="Threads">Worker threads of the kernels.</param>
/// <param name="Quick">True for the small-budget run.</param>
/// <param name="Seconds">Wall time of all experiments.</param>
/// <param name="Experiments">The experiments, in run order.</param>
public sealed record PaperBenchmarkResult(DateTimeOffset Started, string Command, int Cores, int Threads, bool Quick, double Seconds,
    IReadOnlyList<PaperExperimentResult> Experiments);
