namespace Occam.Cli.Engine;

/// <summary>
/// A model's outputs for a batch of rows, one row per input row: for classification the probability of each class, for
/// regression the prediction in the target's units.
/// </summary>
/// <param name="ClassNames">Column names: the classes in class order, or for regression the target column's name.</param>
/// <param name="Rows">Per input row, one value per column of <paramref name="ClassNames"/>.</param>
/// <param name="Regression">True when the rows are regression predictions rather than class probabilities.</param>
internal sealed record PredictionTable(IReadOnlyList<string> ClassNames, IReadOnlyList<float[]> Rows, bool Regression);
