using System.Globalization;
using System.Text.Json;
using Occam.Cli.Engine;

namespace Occam.Tests.Cli;

/// <summary>Test data the user chooses: --test csv:FILE, --test-fraction, the split's rows in split.json, and eval over every row.</summary>
public sealed class TestDataCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("occam-test-data").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary><paramref name="rows"/> rows of x, a colour and a class that x separates (low below 0, high above).</summary>
    private string Write(string name, int rows, string header = "x,colour,class", Func<int, string>? line = null)
    {
        var lines = new List<string> { header };
        for (int r = 0; r < rows; r++)
        {
            double x = -3 + (6.0 * r / Math.Max(1, rows - 1));
            lines.Add(line?.Invoke(r) ?? string.Create(CultureInfo.InvariantCulture, $"{x},{(r % 3 == 0 ? "red" : "blue")},{(x < 0 ? "low" : "high")}"));
        }

        string path = Path.Combine(_dir, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private static CliResult Run(string command, string csv, string output, params string[] more) =>
        CliRunner.Run([command, "--data", "csv:" + csv, "--model", "mlp:8", "--epochs", "2", "--threads", "1", "--out", output, .. more]);

    private static SplitRows Split(string folder) => SplitRows.Read(Path.Combine(folder, SplitRows.FileName));

    private static int Examples(CliResult eval)
    {
        Assert.Equal(0, eval.ExitCode);
        using var doc = JsonDocument.Parse(eval.Output);
        return doc.RootElement.GetProperty("examples").GetInt32();
    }

    [Fact]
    public void ATestFileIsScoredWhileEveryDataRowIsTrainedOrHeldOutAndSplitJsonSaysWhich()
    {
        string csv = Write("train.csv", 60);
        string test = Write("test.csv", 15, "class,colour,x,extra", r => $"{(r < 7 ? "low" : "high")},green,{(r < 7 ? -2 : 2)},9");
        string run = Path.Combine(_dir, "run");
        var train = Run("train", csv, run, "--method", "dense", "--test", "csv:" + test);

        Assert.Equal(0, train.ExitCode);
        SplitRows split = Split(run);
        Assert.Equal(csv, split.TrainFile);
        Assert.Equal(test, split.TestFile);
        Assert.Equal(Enumerable.Range(0, 15), split.Test);
        Assert.Equal(Enumerable.Range(0, 60), split.Train.Concat(split.Holdout).Order());
        Assert.Equal(6, split.Holdout.Length);
        Assert.Equal(15, Examples(CliRunner.Run("eval", run, "--data", "csv:" + test, "--json")));
    }

    [Fact]
    public void ATestFractionSplitsTheDataFileAndEvalScoresEveryRowOfTheFileItIsGiven()
    {
        string csv = Write("data.csv", 60);
        string run = Path.Combine(_dir, "run");
        Assert.Equal(0, Run("train", csv, run, "--method", "dense", "--test-fraction", "0.5").ExitCode);

        SplitRows split = Split(run);
        Assert.Equal(csv, split.TestFile);
        Assert.Equal(30, split.Test.Length);
        Assert.Equal(Enumerable.Range(0, 60), split.Train.Concat(split.Holdout).Concat(split.Test).Order());
        Assert.True(split.Train.SequenceEqual(split.Train.Order()) && split.Test.SequenceEqual(split.Test.Order()));
        Assert.Equal(60, Examples(CliRunner.Run("eval", run, "--data", "csv:" + csv, "--json")));
        CliRunner.AssertUsageError(CliRunner.Run("eval", run, "--data", "csv:" + csv, "--label", "colour"), "--label colour: the model was trained to predict 'class'");
    }

    [Fact]
    public void CompareTakesATestFileAndWritesTheSplitBesideTheSchema()
    {
        string csv = Write("train.csv", 60);
        string test = Write("test.csv", 12);
        string comparison = Path.Combine(_dir, "comparison");
        Assert.Equal(0, Run("compare", csv, comparison, "--test", "csv:" + test).ExitCode);

        Assert.True(File.Exists(Path.Combine(comparison, LibraryEngine.SchemaFileName)));
        Assert.Equal(Enumerable.Range(0, 12), Split(comparison).Test);
    }

    [Theory]
    [InlineData("--test-fraction", "1", "--test-fraction")]
    [InlineData("--test-fraction", "0", "--test-fraction")]
    [InlineData("--test", "digits", "--test 'digits': expected csv:FILE")]
    public void InvalidTestOptionsAreOneLineErrors(string option, string value, string fragment)
    {
        string csv = Write("data.csv", 20);
        string output = Path.Combine(_dir, "never");
        CliRunner.AssertUsageError(Run("train", csv, output, option, value), fragment);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void TestOptionsNeedCsvDataAndExcludeEachOther()
    {
        string csv = Write("data.csv", 20);
        CliRunner.AssertUsageError(Run("train", csv, Path.Combine(_dir, "a"), "--test", "csv:" + csv, "--test-fraction", "0.3"),
            "--test-fraction cannot be combined with --test");
        CliRunner.AssertUsageError(CliRunner.Run("train", "--data", "digits", "--test", "csv:" + csv), "--test applies only to csv data");
        CliRunner.AssertUsageError(CliRunner.Run("compare", "--data", "digits", "--test-fraction", "0.3"), "--test-fraction applies only to csv data");
    }

    [Fact]
    public void ATestFileMustMatchTheTrainingSchema()
    {
        string csv = Write("data.csv", 20);
        string noColumn = Write("nocolumn.csv", 5, "colour,class", r => "red,low");
        string text = Write("text.csv", 5, "x,colour,class", r => r == 3 ? "n/a,red,low" : "1,red,high");
        string unseen = Write("unseen.csv", 5, "x,colour,class", r => "1,red,medium");
        string output = Path.Combine(_dir, "never");

        CliRunner.AssertUsageErrorAfterCsvSummary(Run("train", csv, output, "--test", "csv:" + noColumn),
            $"{noColumn}: column 'x' is missing (the model was trained with it)");
        CliRunner.AssertUsageErrorAfterCsvSummary(Run("train", csv, output, "--test", "csv:" + text), $"{text}, line 5, column 1 ('x'): 'n/a' is not a number");
        CliRunner.AssertUsageErrorAfterCsvSummary(Run("compare", csv, output, "--test", "csv:" + unseen), $"{unseen}, line 2, column 3 ('class'): class 'medium' was not seen in training");
        Assert.False(Directory.Exists(output));
    }
}
