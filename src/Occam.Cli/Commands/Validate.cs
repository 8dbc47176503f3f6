using System.Globalization;

namespace Occam.Cli.Commands;

/// <summary>Range checks for option values, each failing with a <see cref="UsageException"/> that names the option and the value.</summary>
internal static class Validate
{
    /// <summary>Requires <paramref name="value"/> ≥ <paramref name="minimum"/>.</summary>
    public static int AtLeast(string option, int value, int minimum) => value >= minimum
        ? value
        : throw new UsageException($"{option} must be at least {minimum} (got {value})");

    /// <summary>Requires <paramref name="minimum"/> ≤ <paramref name="value"/> ≤ <paramref name="maximum"/>.</summary>
    public static int Between(string option, int value, int minimum, int maximum) => value >= minimum && value <= maximum
        ? value
        : throw new UsageException($"{option} must be between {minimum} and {maximum} (got {value})");

    /// <summary>
    /// Requires 1 ≤ <paramref name="threads"/> ≤ 4 × the processor count: every thread is a kernel worker that lives as
    /// long as the process, and more than a few per core only slows the kernels down (100 000 would exhaust the machine).
    /// </summary>
    public static int Threads(int threads) => Between("--threads", threads, 1, 4 * Environment.ProcessorCount);

    /// <summary>Requires a finite <paramref name="value"/> &gt; 0.</summary>
    public static double Positive(string option, double value) => double.IsFinite(value) && value > 0
        ? value
        : throw new UsageException($"{option} must be a positive number (got {Show(value)})");

    /// <summary>
    /// Requires <paramref name="value"/> to survive the engine's 32-bit floats: finite, and not rounded to 0 unless it is 0.
    /// </summary>
    public static double Single(string option, double value) => float.IsFinite((float)value) && ((float)value != 0 || value == 0)
        ? value
        : throw new UsageException($"{option} {Show(value)} is out of the range of 32-bit floats, which the engine computes in (magnitudes from 1.2e-38 to 3.4e38)");

    /// <summary>Requires <paramref name="value"/> in the open interval (0, 1).</summary>
    public static double OpenUnit(string option, double value) => value > 0 && value < 1
        ? value
        : throw new UsageException($"{option} must be strictly between 0 and 1 (got {Show(value)})");

    /// <summary>Requires <paramref name="value"/> in (0, 1].</summary>
    public static double UnitExcludingZero(string option, double value) => value > 0 && value <= 1
        ? value
        : throw new UsageException($"{option} must be greater than 0 and at most 1 (got {Show(value)})");

    /// <summary>Requires <paramref name="value"/> in [0, 1).</summary>
    public static double UnitExcludingOne(string option, double value) => value >= 0 && value < 1
        ? value
        : throw new UsageException($"{option} must be at least 0 and less than 1 (got {Show(value)})");

    /// <summary>Requires an existing file.</summary>
    public static string ExistingFile(string what, string path) => File.Exists(path)
        ? path
        : throw new UsageException(Directory.Exists(path) ? $"{what} '{path}' is a directory, not a file" : $"{what} '{path}' does not exist");

    /// <summary>Requires an existing file or directory.</summary>
    public static string ExistingPath(string what, string path) => File.Exists(path) || Directory.Exists(path)
        ? path
        : throw new UsageException($"{what} '{path}' does not exist");

    /// <summary>The seeds of <c>--seeds</c> (null when absent): whole numbers ≥ 0, comma-separated, each once.</summary>
    public static int[]? Seeds(string? list)
    {
        if (list is null)
        {
            return null;
        }

        var seeds = new List<int>();
        foreach (string part in list.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int seed) || seeds.Contains(seed))
            {
                throw new UsageException($"--seeds takes distinct whole numbers ≥ 0 separated by commas, e.g. 1,2,3 (got '{list}')");
            }

            seeds.Add(seed);
        }

        return [.. seeds];
    }

    /// <summary>
    /// Refuses, before any work, output files that would destroy what the command reads or writes: each output must be a
    /// file path in an existing directory, and no output may be the same file as an input or as another output
    /// (compared after resolving the full path and symbolic links). A null path is an option not given.
    /// </summary>
    public static void Outputs(IReadOnlyList<(string Option, string? Path)> inputs, IReadOnlyList<(string Option, string? Path)> outputs)
    {
        var taken = new List<(string Option, string Path, string Identity)>();
        foreach (var (option, path) in inputs)
        {
            if (path is not null)
            {
                taken.Add((option, path, Identity(path)));
            }
        }

        foreach (var (option, path) in outputs)
        {
            if (path is null)
            {
                continue;
            }

            if (Directory.Exists(path))
            {
                throw new UsageException($"{option} '{path}' is a directory, not a file");
            }

            string directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? "";
            if (!Directory.Exists(directory))
            {
                throw new UsageException($"{option} '{path}': directory '{directory}' does not exist");
            }

            string identity = Identity(path);
            foreach (var other in taken)
            {
                if (string.Equals(identity, other.Identity, StringComparison.Ordinal))
                {
                    throw new UsageException($"{option} '{path}' is the same file as {other.Option} '{other.Path}'; writing it would destroy that");
                }
            }

            taken.Add((option, path, identity));
        }
    }

    /// <summary>The file a path ends at: full, with symbolic links (of the file or of its directory) resolved.</summary>
    private static string Identity(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        string directory = System.IO.Path.GetDirectoryName(full) ?? full;
        string resolvedDirectory = Directory.Exists(directory) ? Resolve(new DirectoryInfo(directory)) : directory;
        string inDirectory = System.IO.Path.Combine(resolvedDirectory, System.IO.Path.GetFileName(full));
        return File.Exists(inDirectory) ? Resolve(new FileInfo(inDirectory)) : inDirectory;

        static string Resolve(FileSystemInfo info) => info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName;
    }

    private static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
