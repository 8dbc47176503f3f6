namespace Occam.Cli.Output;

/// <summary>
/// Where a command writes its artefacts. Everything goes to a hidden staging directory beside the destination and is
/// renamed into place by <see cref="Complete"/>; disposing without completing removes the staging directory and any
/// parent directories it created, so a failed or cancelled command leaves no partial output. Without a destination
/// the staging directory is a temporary one, removed on dispose.
/// </summary>
internal sealed class RunOutput : IDisposable
{
    private readonly string? _destination;
    private readonly string? _createdAncestor;
    private bool _completed;

    private RunOutput(string workingPath, string? destination, string? createdAncestor)
    {
        WorkingPath = workingPath;
        _destination = destination;
        _createdAncestor = createdAncestor;
    }

    /// <summary>The directory to write into until <see cref="Complete"/>.</summary>
    public string WorkingPath { get; }

    /// <summary>The final directory, or null when the output is temporary.</summary>
    public string? Destination => _destination;

    /// <summary>
    /// Prepares output for <paramref name="destination"/> (null: temporary). The destination must not exist, or be an empty
    /// directory; <paramref name="optionName"/> names the option in error messages.
    /// </summary>
    public static RunOutput Open(string? destination, string optionName = "--out")
    {
        if (destination is null)
        {
            string temporary = Path.Combine(Path.GetTempPath(), $"occam-{Guid.NewGuid():N}");
            Directory.CreateDirectory(temporary);
            return new RunOutput(temporary, null, null);
        }

        string full = Path.GetFullPath(destination);
        if (File.Exists(full))
        {
            throw new UsageException($"{optionName} '{destination}' is a file, not a directory");
        }

        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
        {
            throw new UsageException($"{optionName} '{destination}' already exists and is not empty");
        }

        string parent = Path.GetDirectoryName(full.TrimEnd(Path.DirectorySeparatorChar))
            ?? throw new UsageException($"{optionName} '{destination}' cannot be a file-system root");
        string? createdAncestor = FirstMissingAncestor(parent);
        Directory.CreateDirectory(parent);
        string staging = StagingPath(full);
        if (Directory.Exists(staging))
        {
            throw new UsageException($"{optionName} '{destination}': an interrupted run is staged in '{staging}'; continue it with --resume {destination}, or delete that folder");
        }

        Directory.CreateDirectory(staging);
        return new RunOutput(staging, full, createdAncestor);
    }

    /// <summary>
    /// Reopens the staging directory of an interrupted run whose destination was <paramref name="destination"/>, so that
    /// training continues there and the finished run is moved into place as usual.
    /// </summary>
    public static RunOutput Resume(string destination)
    {
        string full = Path.GetFullPath(destination);
        string staging = StagingPath(full);
        if (!Directory.Exists(staging))
        {
            throw new UsageException(Directory.Exists(full)
                ? $"--resume '{destination}': this run has finished; nothing to resume"
                : $"--resume '{destination}': no interrupted run to resume (expected its staging folder '{staging}')");
        }

        return new RunOutput(staging, full, createdAncestor: null);
    }

    /// <summary>The staging directory of a destination: hidden, beside it, and the same on every attempt so an interrupted run can be found.</summary>
    private static string StagingPath(string fullDestination)
    {
        string trimmed = fullDestination.TrimEnd(Path.DirectorySeparatorChar);
        return Path.Combine(Path.GetDirectoryName(trimmed) ?? ".", $".{Path.GetFileName(trimmed)}.partial");
    }

    /// <summary>Moves the finished output to its destination (nothing for temporary output, which dispose removes).</summary>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_destination is null)
        {
            return;
        }

        if (Directory.Exists(_destination))
        {
            // Checked empty in Open; deleting a non-empty directory would throw rather than lose anything.
            Directory.Delete(_destination, recursive: false);
        }

        Directory.Move(WorkingPath, _destination);
        _completed = true;
    }

    /// <summary>Removes whatever was not completed.</summary>
    public void Dispose()
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        if (Directory.Exists(WorkingPath))
        {
            Directory.Delete(WorkingPath, recursive: true);
        }

        if (_createdAncestor is not null && Directory.Exists(_createdAncestor))
        {
            Directory.Delete(_createdAncestor, recursive: true);
        }
    }

    private static string? FirstMissingAncestor(string directory)
    {
        string? missing = null;
        for (string? current = directory; current is not null && !Directory.Exists(current); current = Path.GetDirectoryName(current))
        {
            missing = current;
        }

        return missing;
    }
}
