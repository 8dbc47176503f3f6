using System.Globalization;

namespace Occam.Cli.Output;

/// <summary>
/// The one-writer rule of a run folder: an exclusive OS lock on a hidden file beside the destination
/// (<c>.NAME.lock</c>), held from before the staging folder is looked at until the command ends. The OS drops the
/// lock when its process dies, so a killed run never leaves it held, and a leftover lock file means nothing. The
/// holder's process id goes into a second file (<c>.NAME.writer</c>), since a locked file cannot be read by others.
/// </summary>
internal sealed class RunLock : IDisposable
{
    private readonly FileStream _lock;
    private readonly string _writerPath;

    private RunLock(FileStream lockStream, string writerPath)
    {
        _lock = lockStream;
        _writerPath = writerPath;
    }

    /// <summary>
    /// Takes the lock of the run whose destination is <paramref name="fullDestination"/> (its parent must exist), or
    /// throws a <see cref="UsageException"/> naming the process that holds it; <paramref name="optionName"/> and
    /// <paramref name="destination"/> are how the user named the run.
    /// </summary>
    public static RunLock Acquire(string fullDestination, string optionName, string destination)
    {
        string trimmed = fullDestination.TrimEnd(Path.DirectorySeparatorChar);
        string parent = Path.GetDirectoryName(trimmed) ?? ".";
        string name = Path.GetFileName(trimmed);
        string lockPath = Path.Combine(parent, $".{name}.lock");
        string writerPath = Path.Combine(parent, $".{name}.writer");
        FileStream stream;
        try
        {
            // FileShare.None is an exclusive flock on Unix and a sharing lock on Windows: either way the OS releases it
            // with the process.
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new UsageException($"{optionName} '{destination}': {Holder(writerPath)} is writing this run; wait for it to end or stop it first");
        }

        AtomicWriterFile(writerPath);
        return new RunLock(stream, writerPath);
    }

    /// <summary>Releases the lock and removes its files (another process may take it from then on).</summary>
    public void Dispose()
    {
        try
        {
            File.Delete(_writerPath);
            File.Delete(_lock.Name);
        }
        catch (IOException)
        {
            // A lock file left behind is harmless: only a held lock keeps a writer out.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }

        _lock.Dispose();
    }

    private static void AtomicWriterFile(string writerPath) =>
        Occam.Serialization.AtomicFile.WriteAllText(writerPath, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");

    private static string Holder(string writerPath)
    {
        try
        {
            string text = File.ReadAllText(writerPath).Trim();
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                return $"another occam process (pid {pid})";
            }
        }
        catch (IOException)
        {
            // The holder has not written its id yet, or is just ending.
        }

        return "another occam process";
    }
}
