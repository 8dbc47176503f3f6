namespace Occam.Training.Checkpoints;

/// <summary>
/// The checkpoint a <see cref="Trainer"/> writes into <see cref="TrainerOptions.CheckpointDirectory"/> after every
/// epoch (see <see cref="TrainerOptions.Resume"/> to continue from it), and what a caller can read from it before
/// resuming, e.g. the model and data the run used.
/// </summary>
public static class Checkpoint
{
    /// <summary>The file name inside the run directory.</summary>
    public const string FileName = "checkpoint.safetensors";

    /// <summary>The checkpoint's path inside <paramref name="directory"/>.</summary>
    public static string PathIn(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return Path.Combine(directory, FileName);
    }

    /// <summary>True when <paramref name="directory"/> holds a checkpoint.</summary>
    public static bool Exists(string directory) => File.Exists(PathIn(directory));

    /// <summary>
    /// Reads and validates the checkpoint in <paramref name="directory"/>. Throws <see cref="FileNotFoundException"/>
    /// when there is none and <see cref="InvalidDataException"/> (one line, naming the file) when it is damaged.
    /// </summary>
    public static CheckpointInfo ReadInfo(string directory)
    {
        string path = PathIn(directory);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no checkpoint in '{directory}' ({FileName} is missing)", path);
        }

        var (checkpoint, names, options, metadata) = CheckpointFile.Read(path);
        return new CheckpointInfo
        {
            Epoch = checkpoint.Epoch,
            Step = checkpoint.Step?.Batches ?? 0,
            Finished = checkpoint.Finished,
            Epochs = options.Epochs,
            Seed = options.Seed,
            Method = options.Method ?? options.Schedule ?? "",
            ParameterNames = names,
            Records = [.. checkpoint.Records],
            Divergences = [.. checkpoint.Divergences],
            Metadata = metadata,
        };
    }
}
