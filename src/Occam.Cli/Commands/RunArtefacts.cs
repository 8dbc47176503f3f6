using System.Globalization;
using System.Text.Json;
using Occam.Reports;
using Occam.Training;

namespace Occam.Cli.Commands;

/// <summary>Reads what the engine wrote into a run or comparison directory and adds the report beside it.</summary>
internal static class RunArtefacts
{
    /// <summary>
    /// Reads the run records in <paramref name="directory"/> and writes <c>report.md</c> and its plots there.
    /// Unreadable records are the engine's fault, not the user's, so they surface as an unexpected failure (exit 1).
    /// </summary>
    public static IReadOnlyList<ReportedRun> ReadAndReport(string directory)
    {
        IReadOnlyList<ReportedRun> runs;
        try
        {
            runs = ReportedRun.ReadAll(directory);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidOperationException($"the trainer wrote unreadable run records: {e.Message}", e);
        }

        RunReport.Write(runs, directory);
        return runs;
    }

    /// <summary>The summary JSON of a run, on one line.</summary>
    public static string SummaryJson(ReportedRun run) => JsonSerializer.Serialize(run.Summary, RunJson.Compact);

    /// <summary>A file's size for messages, e.g. "12,345 bytes".</summary>
    public static string FileSize(string path) => $"{new FileInfo(path).Length.ToString("N0", CultureInfo.InvariantCulture)} bytes";
}
