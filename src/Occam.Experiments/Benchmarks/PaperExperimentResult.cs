namespace Occam.Benchmarks;

/// <summary>One experiment of <see cref="PaperBenchmark"/>.</summary>
/// <param name="Name">Short name, also the experiment's subdirectory: "mlp", "cnn", "tabular" or "gpt".</param>
/// <param name="Title">Heading of the experiment in the report.</param>
/// <param name="Configuration">The model, data and budget, in words.</param>
/// <param name="Rows">One line per method, Occam first.</param>
/// <param name="WhereOccamLoses">Where Occam does worse than another method, computed from <paramref name="Rows"/> (and the per-set figures).</param>
/// <param name="Seconds">Wall time of the whole experiment.</param>
/// <param name="Plots">Plot files, relative to the benchmark's output directory; empty for the tabular suite.</param>
/// <param name="TabularSets">Per-set figures of the tabular suite; empty for the other experiments.</param>
public sealed record PaperExperimentResult(string Name, string Title, string Configuration, IReadOnlyList<PaperMethodRow> Rows, string WhereOccamLoses,
    double Seconds, IReadOnlyList<string> Plots, IReadOnlyList<TabularBenchmarkResult> TabularSets);
