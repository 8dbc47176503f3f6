using System.Text;
using System.Text.Json;
using Occam.Serialization;

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
        AtomicFile.WriteAllText(Path.Combine(OutputDirectory, EpochsFileName), _lines.ToString());
    }

    /// <summary>
    /// Checks that <c>epochs.jsonl</c> is the record of the run a checkpoint with <paramref name="records"/> belongs to
    /// (before <see cref="Restart"/> rewrites it): its lines must begin with those records' epochs and stages. Lines
    /// beyond them are allowed: a process killed between writing a record and its checkpoint leaves them.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is missing, unreadable, or counts other epochs.</exception>
    public void CheckContinues(IReadOnlyList<EpochRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        string path = Path.Combine(OutputDirectory, EpochsFileName);
        if (!File.Exists(path))
        {
            if (records.Count > 0)
            {
                throw new InvalidDataException($"{EpochsFileName} is missing, although the checkpoint holds {records.Count} epoch records.");
            }

            return;
        }

        string[] lines = File.ReadAllLines(path);
        if (lines.Length < records.Count)
        {
            throw new InvalidDataException($"{EpochsFileName}: holds {lines.Length} records, the checkpoint {records.Count}; they are not the same run.");
        }

        for (int i = 0; i < records.Count; i++)
        {
            var line = ReadEpoch(lines[i], i + 1);
            if (line.Epoch != records[i].Epoch || line.Stage != records[i].Stage)
            {
                throw new InvalidDataException(
                    $"{EpochsFileName}, line {i + 1}: epoch {line.Epoch} ({line.Stage}) where the checkpoint has epoch {records[i].Epoch} ({records[i].Stage}); they are not the same run.");
            }
        }
    }

    private static EpochRecord ReadEpoch(string line, int number)
    {
        try
        {
            return JsonSerializer.Deserialize<EpochRecord>(line, RunJson.Compact)
                ?? throw new InvalidDataException($"{EpochsFileName}, line {number}: not an epoch record (null).");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{EpochsFileName}, line {number}: not an epoch record ({e.Message})", e);
        }
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

        AtomicFile.WriteAllText(Path.Combine(OutputDirectory, EpochsFileName), _lines.ToString());
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

        AtomicFile.WriteAllText(Path.Combine(OutputDirectory, EpochsFileName), _lines.ToString());
        AtomicFile.WriteAllText(Path.Combine(OutputDirectory, SummaryFileName), JsonSerializer.Serialize(summary, RunJson.Indented) + "\n");
    }
}
