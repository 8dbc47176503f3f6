using System.Text.Json;
using Occam.Data;
using Occam.Serialization;

namespace Occam.Cli.Engine;

/// <summary>
/// <c>split.json</c> in a CSV run (or comparison) folder: which rows of the input files were trained on, held out for
/// model selection and tested on. Rows are 0-based data rows of their file (0 is the first row after the header).
/// </summary>
/// <param name="TrainFile">The training file (<c>--data</c>): <paramref name="Train"/> and <paramref name="Holdout"/> index it.</param>
/// <param name="TestFile">The file <paramref name="Test"/> indexes: the training file when it was split, else <c>--test</c>.</param>
/// <param name="Train">Rows trained on, ascending.</param>
/// <param name="Holdout">Rows held out to choose the selected epoch, ascending (the preprocessing is fitted on these and <paramref name="Train"/>).</param>
/// <param name="Test">Rows scored as the test set, ascending; never used to choose anything.</param>
internal sealed record SplitRows(string TrainFile, string TestFile, int[] Train, int[] Holdout, int[] Test)
{
    /// <summary>The file name in the run folder.</summary>
    public const string FileName = "split.json";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The rows of <paramref name="data"/>'s files that <paramref name="holdout"/> (indices into its training set) and its test set use.</summary>
    public static SplitRows Of(TabularData data, HoldoutSplit holdout)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(holdout);
        return new SplitRows(data.Table.Source, data.TestTable.Source, FileRows(data.TrainRows, holdout.Train), FileRows(data.TrainRows, holdout.Holdout), data.TestRows);
    }

    /// <summary>Writes the record into <paramref name="directory"/> (whole or not at all).</summary>
    public void Write(string directory) => AtomicFile.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, Json));

    /// <summary>Reads a record written by <see cref="Write"/>.</summary>
    public static SplitRows Read(string path) =>
        JsonSerializer.Deserialize<SplitRows>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path}: empty split record");

    private static int[] FileRows(int[] trainRows, int[] datasetIndices)
    {
        var rows = new int[datasetIndices.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = trainRows[datasetIndices[i]];
        }

        Array.Sort(rows);
        return rows;
    }
}
