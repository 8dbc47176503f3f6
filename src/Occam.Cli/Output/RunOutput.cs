using Occam.Serialization;
using Occam.Training.Checkpoints;

namespace Occam.Cli.Output;

/// <summary>
/// Where a command writes its artefacts. Everything goes to a hidden staging directory beside the destination and is
/// renamed into place by <see cref="Complete"/>. The destination's <see cref="RunLock"/> is held from opening to
/// dispose, so one process at a time writes a run. Disposing without completing removes the staging directory and any
/// parent directories it created, so a failed command leaves no partial output, except when the staging directory
/// holds a run that can be continued (<see cref="IsResumable"/>): a resumed run, or one with a checkpoint, is kept for
/// <c>train --resume</c>. Without a destination the staging directory is a temporary one, removed on dispose.
/// </summary>
internal sealed class RunOutput : IDisposable
{
    private readonly string? _destination;
    private readonly string? _createdAncestor;
    private readonly RunLock? _lock;
    private readonly bool _resumed;
    private bool _completed;

    private RunOutput(string workingPath, string? destination, string? createdAncestor, RunLock? runLock, bool resumed)
    {
        WorkingPath = workingPath;
        _destination = destination;
        _createdAncestor = createdAncestor;
        _lock = runLock;
        _resumed = resumed;
    }

    /// <summary>The directory to write into until <see cref="Complete"/>.</summary>
    public string WorkingPath { get; }

    /// <summary>The final directory, or null when the output is temporary.</summary>
    public string? Destination => _destination;

    /// <summary>
    /// True when a failure must keep the staging directory: it is a resumed run, or it holds a checkpoint that
    /// <c>train --resume</c> can continue from.
    /// </summary>
    public bool IsResumable => !_completed && _destination is not null && (_resumed || Checkpoint.Exists(WorkingPath));

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
            return new RunOutput(temporary, null, null, null, resumed: false);
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
        var runLock = RunLock.Acquire(full, optionName, destination);
        try
        {
            string staging = StagingPath(full);
            if (Directory.Exists(staging))
            {
                // Holding the lock proves no live process writes that folder: a running one would hold the lock itself.
                throw new UsageException($"{optionName} '{destination}': an interrupted run is staged in '{staging}' (interrupted, not running: "
                    + $"no live occam process holds its lock); continue it with 'occam train --resume {destination}', or delete that folder");
            }

            Directory.CreateDirectory(staging);
            return new RunOutput(staging, full, createdAncestor, runLock, resumed: false);
        }
        catch
        {
            runLock.Dispose();
            throw;
        }
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

        var runLock = RunLock.Acquire(full, "--resume", destination);
        if (!Directory.Exists(staging))
        {
            runLock.Dispose();
            throw new UsageException($"--resume '{destination}': the run ended while this command waited for it; nothing to resume");
        }

        if (Directory.Exists(full) || File.Exists(full))
        {
            // The finished run could not be moved into place: say so before training, not after.
            runLock.Dispose();
            throw new UsageException(
                $"--resume '{destination}': '{full}' already exists beside the interrupted run '{staging}'; move one of them away first");
        }

        return new RunOutput(staging, full, createdAncestor: null, runLock, resumed: true);
    }

    /// <summary>The staging directory of <paramref name="destination"/>, whether or not it exists.</summary>
    public static string StagingPathOf(string destination) => StagingPath(Path.GetFullPath(destination));

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

        // Temporary files of writes a killed process never finished would otherwise end up in the finished run.
        AtomicFile.RemoveLeftovers(WorkingPath, soleWriter: true);
        if (Directory.Exists(_destination))
        {
            // Checked empty in Open; deleting a non-empty directory would throw rather than lose anything.
            Directory.Delete(_destination, recursive: false);
        }

        Directory.Move(WorkingPath, _destination);
        _completed = true;
    }

    /// <summary>Removes whatever was not completed, unless it is a run to resume (<see cref="IsResumable"/>); releases the lock.</summary>
    public void Dispose()
    {
        try
        {
            if (_completed || IsResumable)
            {
                return;
            }

            if (Directory.Exists(WorkingPath))
            {
                Directory.Delete(WorkingPath, recursive: true);
            }

            if (_createdAncestor is not null && Directory.Exists(_createdAncestor))
            {
                Directory.Delete(_createdAncestor, recursive: true);
            }
        }
        finally
        {
            _completed = true;
            _lock?.Dispose();
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
