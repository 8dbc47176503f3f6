using Occam.Cli.Specs;

namespace Occam.Cli.Engine;

/// <summary>What <c>occam eval</c> asks for.</summary>
/// <param name="ModelPath">A saved model, or the run directory that holds it.</param>
/// <param name="Data">The data set whose test split is evaluated.</param>
/// <param name="BatchSize">Examples per forward pass.</param>
/// <param name="Threads">Worker threads for the kernels.</param>
/// <param name="LabelColumn">CSV label column, if the data is a CSV.</param>
internal sealed record EvaluationRequest(string ModelPath, DataSpec Data, int BatchSize, int Threads, string? LabelColumn);
