namespace Occam.Data;

/// <summary>
/// A held-out split that the data fixes itself (<see cref="Dataset.Holdout"/>), for data whose examples share content
/// so that a split of example indices would leak: text windows overlap, so the text loader draws the training windows
/// and the held-out windows from disjoint regions of the text (<see cref="TextCorpus.TrainingWindows"/>).
/// </summary>
/// <param name="Train">Indices of the examples to train on, ascending.</param>
/// <param name="Holdout">Indices of the held-out examples, ascending, disjoint from <paramref name="Train"/>.</param>
/// <param name="Fraction">The held-out fraction the split was made for; the trainer refuses a split made for another.</param>
/// <param name="Description">How the split was made, for the run's records.</param>
public sealed record HoldoutSplit(int[] Train, int[] Holdout, double Fraction, string Description);
