namespace Occam.Data;

/// <summary>A training set and a test set from one source; the test set is only ever reported on.</summary>
/// <param name="Train">The training examples (the trainer splits its held-out set off these).</param>
/// <param name="Test">The test examples.</param>
public sealed record TrainTestData(Dataset Train, Dataset Test);
