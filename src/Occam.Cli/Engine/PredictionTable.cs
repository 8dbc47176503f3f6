namespace Occam.Cli.Engine;

/// <summary>Class probabilities for a batch of rows: one column per class, one row per input row.</summary>
/// <param name="ClassNames">Column names, in class order.</param>
/// <param name="Rows">Per input row, the probability of each class (same length as <paramref name="ClassNames"/>).</param>
internal sealed record PredictionTable(IReadOnlyList<string> ClassNames, IReadOnlyList<float[]> Rows);
