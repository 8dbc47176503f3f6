namespace Occam.Training;

/// <summary>
/// The loss became NaN or infinite more often than the divergence guard allows (<see cref="TrainerOptions.DivergenceLimit"/>),
/// even after restoring the last good epoch and halving the learning rate each time. The message is one line for
/// the user.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public TrainingDivergedException()
        : base("Training diverged.")
    {
    }

    /// <summary>Creates the exception with a one-line message.</summary>
    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line message and a cause.</summary>
    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for the divergences <paramref name="events"/>, the last of which was one too many.</summary>
    internal TrainingDivergedException(IReadOnlyList<DivergenceEvent> events)
        : base(Describe(events))
    {
        Events = events;
    }

    /// <summary>The divergences, in order (empty when created with a message only).</summary>
    public IReadOnlyList<DivergenceEvent> Events { get; } = [];

    private static string Describe(IReadOnlyList<DivergenceEvent> events)
    {
        var epochs = new List<string>(events.Count);
        foreach (var e in events)
        {
            epochs.Add(e.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        string rate = events.Count == 0 ? "?" : events[^1].LearningRate.ToString("g3", System.Globalization.CultureInfo.InvariantCulture);
        return $"training diverged: the loss became NaN or infinite {events.Count} times (epochs {string.Join(", ", epochs)}) "
            + $"although each time the last good epoch was restored and the learning rate halved (down to {rate}); try a lower learning rate";
    }
}
