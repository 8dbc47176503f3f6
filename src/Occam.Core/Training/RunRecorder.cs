using System.Text;
using System.Text.Json;

namespace Occam.Training;

/// <summary>
/// Writes a run's records into a directory: <c>epochs.jsonl</c> (one JSON line per epoch, rewritten after every epoch)
/// and <c>summary.json</c>. Every write goes to a temporary file that is then renamed over the target, so a reader
/// (or a crash) never sees a half-written file.
/// </summary>
public sealed class RunRecorder
{
    /// <summary>Name of the per-epoch file.</summary>
    public const string EpochsFileName = "epochs.jsonl";

    /// <summary>Name of the summary file.</summary>
    public const string SummaryFileName = "summary.json";

    private readonly StringBuilder _lines = new();

    /// <summary>Creates a recorder writing into <paramref name="directory"/> (created if missing).</summary>
    public RunRecorder(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        OutputDirectory = directory;
    }

    /// <summary>The output directory.</summary>
    public string OutputDirectory { get; }

    /// <summary>Appends an epoch's record to <c>epochs.jsonl</c>.</summary>
    public void RecordEpoch(EpochRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _lines.Append(JsonSerializer.Serialize(record, RunJson.Compact)).Append('\n');
        WriteAtomically(Path.Combine(OutputDirectory, EpochsFileName), _lines.ToString());
    }

    /// <summary>
    /// Starts over from <paramref name="records"/> (a resumed run's records up to its checkpoint) and rewrites
    /// <c>epochs.jsonl</c> with them, dropping lines of epochs the checkpoint does not cover.
    /// </summary>
    public void Restart(IEnumerable<EpochRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        _lines.Clear();
        foreach (var record in records)
        {
            _lines.Append(JsonSerializer.Serialize(record, RunJson.Compact)).Append('\n');
        }

        WriteAtomically(Path.Combine(OutputDirectory, EpochsFileName), _lines.ToString());
    }

    /// <summary>Writes <c>summary.json</c>, and rewrites <c>epochs.jsonl</c> from the summary's epochs (selection marked).</summary>
    public void RecordSummary(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        _lines.Clear();
        foreach (var record in summary.Epochs)
        {
            _lines.Append(JsonSerializer.Serialize(record, RunJson.Compact)).Append('\n');
        }

        WriteAtomically(Path.Combine(OutputDirectory, EpochsFileName), _lines.ToString());
        WriteAtomically(Path.Combine(OutputDirectory, SummaryFileName), JsonSerializer.Serialize(summary, RunJson.Indented) + "\n");
    }

    /// <summary>Writes <paramref name="contents"/> to a temporary file beside <paramref name="path"/> and renames it over the target.</summary>
    public static void WriteAtomically(string path, string contents)
    {
        ArgumentNullException.ThrowIfNull(path);
        string temporary = path + ".tmp";
        try
        {
            File.WriteAllText(temporary, contents, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
