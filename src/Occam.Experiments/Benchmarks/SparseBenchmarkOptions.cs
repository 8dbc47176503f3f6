using Occam.Layers;

namespace Occam.Benchmarks;

/// <summary>Settings of <see cref="SparseBenchmark"/>; the defaults are issue 6's measurement.</summary>
public sealed record SparseBenchmarkOptions
{
    /// <summary>Densities measured, in order.</summary>
    public IReadOnlyList<double> Densities { get; init; } = [1.0, 0.5, 0.2, 0.1, 0.05];

    /// <summary>Training mini-batch size.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Examples in the epoch whose time is reported (Fashion-MNIST's 60 000).</summary>
    public int EpochExamples { get; init; } = 60_000;

    /// <summary>Training steps timed per density and round, each on its own; the epoch time is their median scaled to an epoch.</summary>
    public int TimedSteps { get; init; } = 40;

    /// <summary>
    /// Untimed training steps per density before the first round: they build the compact copies and the optimiser's
    /// compact state and let the JIT reach its optimised code, which a short run would otherwise partly miss.
    /// </summary>
    public int WarmupSteps { get; init; } = 60;

    /// <summary>Untimed inference batches per density before the first round.</summary>
    public int WarmupBatches { get; init; } = 10;

    /// <summary>Inference batch size (what evaluation and <c>occam predict</c> use).</summary>
    public int InferenceBatchSize { get; init; } = 256;

    /// <summary>Inference batches timed per density and round, each on its own.</summary>
    public int InferenceBatches { get; init; } = 12;

    /// <summary>
    /// Rounds; each round times every density once in turn, so dense and sparse runs alternate and share the
    /// machine's load. The median step and batch times over all rounds are reported, so a step slowed by another
    /// process taking the core does not move the figure.
    /// </summary>
    public int Rounds { get; init; } = 10;

    /// <summary>
    /// Kernels of the model's first (784 → 1024) layer at every density: <see cref="KernelPath.Automatic"/> (the
    /// default) lets the layer choose by <see cref="KernelCalibration"/>, as in any run; <see cref="KernelPath.Sparse"/> or
    /// <see cref="KernelPath.Dense"/> force one path for training and inference alike (to measure the crossovers).
    /// </summary>
    public KernelPath Kernels { get; init; } = KernelPath.Automatic;

    /// <summary>Seed of the initialisation and the synthetic data.</summary>
    public int Seed { get; init; } = 1;
}
