namespace Occam.Benchmarks;

/// <summary>One density's measurement in <see cref="SparseBenchmark"/>.</summary>
/// <param name="Density">Alive fraction of the prunable weights.</param>
/// <param name="TrainEpochSeconds">Seconds for one training epoch over the benchmark's epoch size (scaled from the timed steps).</param>
/// <param name="InferenceExamplesPerSecond">Examples per second of an inference forward pass.</param>
/// <param name="TrainingRanSparse">Whether the automatic choice trained the hidden layer on the sparse kernels.</param>
/// <param name="InferenceRanSparse">Whether the automatic choice ran the hidden layer's inference on the sparse kernels.</param>
/// <param name="Isa">The SIMD path the kernels ran on (<see cref="Kernels.Simd.IsaName"/>).</param>
/// <param name="TrainingCrossover">The hidden layer's calibrated training crossover density (null: not calibrated, as with forced kernels).</param>
/// <param name="InferenceCrossover">The hidden layer's calibrated inference crossover density (null: not calibrated).</param>
public sealed record SparseBenchmarkRow(double Density, double TrainEpochSeconds, double InferenceExamplesPerSecond, bool TrainingRanSparse, bool InferenceRanSparse,
    string Isa, double? TrainingCrossover, double? InferenceCrossover);
