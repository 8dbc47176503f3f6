namespace Occam.Training;

/// <summary>
/// A recovery by the divergence guard: an epoch whose training or held-out loss was NaN or infinite was undone by
/// restoring the last good epoch and halving the learning rate.
/// </summary>
public sealed record DivergenceEvent
{
    /// <summary>The epoch that diverged.</summary>
    public int Epoch { get; init; }

    /// <summary>Its mean training loss up to the batch where it stopped being finite.</summary>
    public double TrainLoss { get; init; }

    /// <summary>Its held-out loss (NaN when training already diverged and the model was not evaluated).</summary>
    public double HoldoutLoss { get; init; }

    /// <summary>The epoch whose state was restored (0: the initial model).</summary>
    public int RestoredEpoch { get; init; }

    /// <summary>The base learning rate from then on (half the one that diverged).</summary>
    public double LearningRate { get; init; }
}
