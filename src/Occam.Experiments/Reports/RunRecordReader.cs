using System.Globalization;
using System.Text.Json;
using Occam.Data;

namespace Occam.Reports;

/// <summary>
/// Reads run directories: <c>summary.json</c> (method, epochs, best, totals) and <c>epochs.jsonl</c> (one epoch per line).
/// A directory holds one run, or (a comparison) several run subdirectories.
/// Malformed records raise <see cref="InvalidDataException"/> naming the file and the field.
/// </summary>
public static class RunRecordReader
{
    /// <summary>File name of a run's summary.</summary>
    public const string SummaryFileName = "summary.json";

    /// <summary>File name of a run's per-epoch JSON lines.</summary>
    public const string EpochsFileName = "epochs.jsonl";

    /// <summary>
    /// Reads the run in <paramref name="directory"/>, or, when it has no summary of its own, every immediate subdirectory
    /// that has one (sorted by name). Runs that share a method are named by their directory.
    /// </summary>
    public static IReadOnlyList<RecordedRun> ReadRuns(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!System.IO.Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"run directory '{directory}' does not exist");
        }

        if (File.Exists(Path.Combine(directory, SummaryFileName)))
        {
            return [ReadRun(directory)];
        }

        var subdirectories = System.IO.Directory.GetDirectories(directory)
            .Where(d => File.Exists(Path.Combine(d, SummaryFileName)))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (subdirectories.Length == 0)
        {
            throw new InvalidDataException(
                $"'{directory}' holds no run: no {SummaryFileName} in it or in any of its subdirectories");
        }

        var runs = subdirectories.Select(ReadRun).ToArray();
        var duplicated = runs.GroupBy(r => r.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        return [.. runs.Select(r => duplicated.Contains(r.Name) ? r with { Name = $"{r.Method} ({Path.GetFileName(r.Directory)})" } : r)];
    }

    /// <summary>Reads the single run in <paramref name="directory"/>.</summary>
    public static RecordedRun ReadRun(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string summaryPath = Path.Combine(directory, SummaryFileName);
        using var summary = Parse(File.ReadAllText(summaryPath), summaryPath);
        var root = summary.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{summaryPath}: expected a JSON object");
        }

        string method = RequiredString(root, "method", summaryPath);
        IReadOnlyList<RecordedEpoch> epochs = root.TryGetProperty("epochs", out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Select(e => ReadEpoch(e, $"{summaryPath}: epochs"))]
            : ReadEpochLines(Path.Combine(directory, EpochsFileName));
        if (epochs.Count == 0)
        {
            throw new InvalidDataException($"{summaryPath}: the run has no epochs");
        }

        if (!root.TryGetProperty("best", out var bestElement) || bestElement.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{summaryPath}: field 'best' is missing or not an object");
        }

        var best = ReadEpoch(bestElement, $"{summaryPath}: best");
        return new RecordedRun(
            Name: method,
            Method: method,
            Directory: directory,
            Epochs: epochs,
            Best: best,
            TotalParams: (long)RequiredNumber(root, "total_params", summaryPath),
            TotalTrainSeconds: RequiredNumber(root, "total_train_seconds", summaryPath),
            TotalTrainFlopsSparse: RequiredNumber(root, "total_train_flops_sparse", summaryPath),
            InferenceFlops: RequiredNumber(root, "inference_flops", summaryPath),
            Task: ReadTask(root, summaryPath),
            Loss: root.TryGetProperty("loss", out var loss) && loss.ValueKind == JsonValueKind.String ? loss.GetString() : null);
    }

    private static List<RecordedEpoch> ReadEpochLines(string path)
    {
        var epochs = new List<RecordedEpoch>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            string where = $"{path}:{lineNumber}";
            using var document = Parse(line, where);
            epochs.Add(ReadEpoch(document.RootElement, where));
        }

        return epochs;
    }

    private static JsonDocument Parse(string json, string where)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{where}: not valid JSON ({e.Message})", e);
        }
    }

    private static RecordedEpoch ReadEpoch(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{where}: expected an epoch object");
        }

        return new RecordedEpoch(
            Epoch: (int)RequiredNumber(element, "epoch", where),
            TrainLoss: OptionalNumber(element, "train_loss", where),
            HoldoutLoss: RequiredNumber(element, "holdout_loss", where),
            TestLoss: OptionalNumber(element, "test_loss", where),
            TestAccuracy: OptionalNumber(element, "test_accuracy", where),
            NonzeroParams: (long)RequiredNumber(element, "nonzero_params", where),
            TotalParams: (long)RequiredNumber(element, "total_params", where),
            Density: RequiredNumber(element, "density", where),
            PruneRate: OptionalNumber(element, "prune_rate", where),
            Zeta: OptionalNumber(element, "zeta", where),
            TrainSeconds: RequiredNumber(element, "train_seconds", where),
            TrainFlopsDense: RequiredNumber(element, "train_flops_dense", where),
            TrainFlopsSparse: RequiredNumber(element, "train_flops_sparse", where),
            TestRmse: OptionalNumber(element, "test_rmse", where),
            TestR2: OptionalNumber(element, "test_r2", where),
            TestMse: OptionalNumber(element, "test_mse", where),
            TestMae: OptionalNumber(element, "test_mae", where));
    }

    /// <summary>The summary's <c>task</c>: absent means classification (records written before regression existed).</summary>
    private static LearningTask ReadTask(JsonElement root, string where)
    {
        if (!root.TryGetProperty("task", out var value))
        {
            return LearningTask.Classification;
        }

        return value.ValueKind == JsonValueKind.String && value.GetString() is string name
            && Enum.TryParse(name, ignoreCase: true, out LearningTask task) && Enum.IsDefined(task)
            ? task
            : throw new InvalidDataException($"{where}: field 'task' must be \"classification\" or \"regression\"");
    }

    private static string RequiredString(JsonElement element, string name, string where) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidDataException($"{where}: field '{name}' is missing or not a string");

    private static double RequiredNumber(JsonElement element, string name, string where) =>
        OptionalNumber(element, name, where) ?? throw new InvalidDataException($"{where}: field '{name}' is missing");

    /// <summary>A number, or null when absent or null; "NaN"/"Infinity" strings are accepted since JSON has no such literals.</summary>
    private static double? OptionalNumber(JsonElement element, string name, string where)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number)
        {
            return value.GetDouble();
        }

        if (value.ValueKind == JsonValueKind.String
            && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed))
        {
            return parsed;
        }

        throw new InvalidDataException($"{where}: field '{name}' is not a number");
    }
}
