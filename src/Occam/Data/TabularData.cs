namespace Occam.Data;

/// <summary>A tabular data set split into training and test rows, with the preprocessing fitted on the training rows.</summary>
/// <param name="Train">Training examples [N, features].</param>
/// <param name="Test">Test examples [M, features] (may be empty when the test fraction is 0).</param>
/// <param name="Preprocessor">The fitted preprocessing: save it with the model, apply it at prediction.</param>
/// <param name="Table">The parsed training file.</param>
/// <param name="TrainRows">Row indices of <paramref name="Table"/> in the training split, ascending.</param>
/// <param name="TestRows">Row indices of <see cref="TestTable"/> in the test split, ascending.</param>
public sealed record TabularData(Dataset Train, Dataset Test, TabularPreprocessor Preprocessor, CsvTable Table, int[] TrainRows, int[] TestRows)
{
    /// <summary>The table the test rows come from: <see cref="Table"/> when it was split, else the separate test file.</summary>
    public CsvTable TestTable { get; init; } = Table;

    /// <summary>Converts to the plain training/test pair.</summary>
    public TrainTestData ToTrainTest() => new(Train, Test);

    /// <summary>What typed ingestion decided about the file (see <see cref="TabularSchema"/>).</summary>
    public TabularSchema Schema() => TabularSchema.Describe(Table, Preprocessor);
}
