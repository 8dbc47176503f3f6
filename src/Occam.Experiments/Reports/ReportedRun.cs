using Occam.Training;

namespace Occam.Reports;

/// <summary>A run as a report shows it: its records and the name its rows and curves carry.</summary>
/// <param name="Name">The method, or "method (directory)" when several runs of a report share a method.</param>
/// <param name="Summary">The run's records, as <see cref="RunRecorder"/> wrote them.</param>
public sealed record ReportedRun(string Name, RunSummary Summary)
{
    /// <summary>
    /// Reads the run in <paramref name="directory"/>, or, when it has no summary of its own, every immediate subdirectory
    /// that has one (a comparison; sorted by name).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="InvalidDataException">It holds no run, or a run's records are malformed (the message names the file).</exception>
    public static IReadOnlyList<ReportedRun> ReadAll(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"run directory '{directory}' does not exist");
        }

        if (File.Exists(Path.Combine(directory, RunRecorder.SummaryFileName)))
        {
            var summary = RunSummary.Read(directory);
            return [new ReportedRun(summary.Method, summary)];
        }

        var subdirectories = Directory.GetDirectories(directory)
            .Where(d => File.Exists(Path.Combine(d, RunRecorder.SummaryFileName)))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (subdirectories.Length == 0)
        {
            throw new InvalidDataException(
                $"'{directory}' holds no run: no {RunRecorder.SummaryFileName} in it or in any of its subdirectories");
        }

        var runs = subdirectories.Select(d => (Directory: d, Summary: RunSummary.Read(d))).ToArray();
        var shared = runs.GroupBy(r => r.Summary.Method, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        return [.. runs.Select(r => new ReportedRun(
            shared.Contains(r.Summary.Method) ? $"{r.Summary.Method} ({Path.GetFileName(r.Directory)})" : r.Summary.Method, r.Summary))];
    }
}
