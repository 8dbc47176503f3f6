using System.Globalization;
using System.Text.Json;
using Occam.Cli.Engine;

namespace Occam.Tests.Cli;

/// <summary>Typed CSV ingestion through the command line: refusals, the typing options, the summary line and schema.json.</summary>
public sealed class CsvTypingCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("occam-csv-typing").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// 60 rows of a numeric x (quoted, so a decimal comma stays one cell), a colour and a class that x separates;
    /// <paramref name="x"/> may replace row r's x.
    /// </summary>
    private string Write(string name, Func<int, string?>? x = null)
    {
        var lines = new List<string> { "x,colour,class" };
        for (int r = 0; r < 60; r++)
        {
            string cell = x?.Invoke(r) ?? (r * 0.5).ToString(CultureInfo.InvariantCulture);
            lines.Add($"\"{cell}\",{(r % 3 == 0 ? "red" : "blue")},{(r < 30 ? "low" : "high")}");
        }

        string path = Path.Combine(_dir, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private static CliResult Train(string csv, string output, params string[] more) =>
        CliRunner.Run(["train", "--data", "csv:" + csv, "--model", "mlp:8", "--method", "dense", "--epochs", "2", "--threads", "1", "--out", output, .. more]);

    private static JsonElement Column(string run, int index)
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, LibraryEngine.SchemaFileName)));
        return schema.RootElement.GetProperty("columns")[index].Clone();
    }

    [Fact]
    public void AStrayNaIsAnErrorNamingTheFileColumnAndLine()
    {
        string csv = Write("stray.csv", r => r == 10 ? "n/a" : null);
        string output = Path.Combine(_dir, "never");
        var result = Train(csv, output);

        CliRunner.AssertUsageError(result, $"{csv}: column 'x' is mostly numeric but 1 of 60 non-missing cells are not numbers (line 12 'n/a'); "
            + "use --na-values n/a to read them as missing, --numeric x to require numbers, or --categorical x to one-hot every value");
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void NaValuesTrainANumericColumnWithAMissingIndicatorRememberedByPredictAndEval()
    {
        string csv = Write("na.csv", r => r == 10 ? "n/a" : null);
        string run = Path.Combine(_dir, "run");
        var train = Train(csv, run, "--na-values", "n/a,?", "--json");

        Assert.Equal(0, train.ExitCode);
        Assert.Contains("occam: csv: 1 numeric, 1 categorical (colour), 1 with missing values; label 'class'", train.ErrorLines);
        using (JsonDocument.Parse(train.Output))
        {
            // --json keeps stdout to the summary JSON alone.
        }

        JsonElement x = Column(run, 0);
        Assert.Equal("numeric", x.GetProperty("kind").GetString());
        Assert.Equal(1, x.GetProperty("missing").GetInt32());
        Assert.Equal(["blue", "red"], Column(run, 1).GetProperty("levels").EnumerateArray().Select(l => l.GetString()));

        // eval refits nothing: it reads the same file with the saved NA tokens and kinds.
        Assert.Equal(0, CliRunner.Run("eval", run, "--data", "csv:" + csv, "--json").ExitCode);
        string input = Path.Combine(_dir, "input.csv");
        File.WriteAllLines(input, ["x,colour", "?,red", "3,green"]);
        var predict = CliRunner.Run("predict", run, "--input", input);
        Assert.Equal(0, predict.ExitCode);
        Assert.Equal(3, predict.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void AResumedRunReadsTheFileWithTheTypingItStartedWith()
    {
        string csv = Write("na.csv", r => r == 10 ? "n/a" : null);
        string run = Path.Combine(_dir, "run");
        Assert.Equal(130, CliRunner.RunInterrupted("epoch 1:", ["train", "--data", "csv:" + csv, "--model", "mlp:8", "--method", "dense", "--epochs", "3",
            "--threads", "1", "--out", run, "--na-values", "n/a"]).ExitCode);

        // Without the plan's --na-values the resumed run would refuse column x.
        var resumed = CliRunner.Run("train", "--resume", run);
        Assert.Equal(0, resumed.ExitCode);
        Assert.Equal(1, Column(run, 0).GetProperty("missing").GetInt32());
    }

    [Fact]
    public void PredictAndEvalNameAMissingColumnAndATextCellInANumericColumn()
    {
        string csv = Write("plain.csv");
        string run = Path.Combine(_dir, "run");
        Assert.Equal(0, Train(csv, run).ExitCode);

        string noColumn = Path.Combine(_dir, "nocolumn.csv");
        File.WriteAllLines(noColumn, ["colour,class", "red,low", "blue,high"]);
        CliRunner.AssertUsageError(CliRunner.Run("predict", run, "--input", noColumn), $"{noColumn}: column 'x' is missing (the model was trained with it)");
        CliRunner.AssertUsageError(CliRunner.Run("eval", run, "--data", "csv:" + noColumn), $"{noColumn}: column 'x' is missing (the model was trained with it)");

        string text = Write("text.csv", r => r == 4 ? "n/a" : null);
        CliRunner.AssertUsageError(CliRunner.Run("predict", run, "--input", text), $"{text}, line 6, column 1 ('x'): 'n/a' is not a number");
        CliRunner.AssertUsageError(CliRunner.Run("eval", run, "--data", "csv:" + text), $"{text}, line 6, column 1 ('x'): 'n/a' is not a number");
    }

    [Fact]
    public void DecimalCommasAreNamed()
    {
        string csv = Write("commas.csv", r => (r * 0.5).ToString("0.0", CultureInfo.InvariantCulture).Replace('.', ','));
        var result = Train(csv, Path.Combine(_dir, "never"));
        CliRunner.AssertUsageError(result, "column 'x': 60 of 60 non-missing cells are not numbers (line 2 '0,0', line 3 '0,5',");
        Assert.Contains("they look like numbers written with decimal commas, which are not read as numbers", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void CategoricalAndNumericForceKinds()
    {
        string csv = Write("plain.csv");
        string categorical = Path.Combine(_dir, "categorical");
        var forced = Train(csv, categorical, "--categorical", "x");
        Assert.Equal(0, forced.ExitCode);
        Assert.Contains("occam: csv: 0 numeric, 2 categorical (x, colour), 0 with missing values; label 'class'", forced.ErrorLines);
        Assert.Equal("categorical", Column(categorical, 0).GetProperty("kind").GetString());

        var refused = Train(csv, Path.Combine(_dir, "never"), "--numeric", "colour");
        CliRunner.AssertUsageError(refused, "column 'colour' is --numeric but 60 of 60 non-missing cells are not numbers (line 2 'red', line 3 'blue',");
        CliRunner.AssertUsageError(Train(csv, Path.Combine(_dir, "never"), "--numeric", "nope"), "--numeric nope: no such column");
    }

    [Fact]
    public void TypingOptionsAreCheckedAndKeptInThePlanForResume()
    {
        CliRunner.AssertUsageError(CliRunner.Run(new FakeEngine(), "train", "--data", "digits", "--na-values", "?"), "apply only to csv data");
        string csv = Write("plain.csv");
        CliRunner.AssertUsageError(CliRunner.Run(new FakeEngine(), "train", "--data", "csv:" + csv, "--na-values", "n/a,,?"), "--na-values 'n/a,,?': expected a comma-separated list");

        var engine = new FakeEngine();
        Assert.Equal(0, CliRunner.Run(engine, "train", "--data", "csv:" + csv, "--na-values", "n/a, ?", "--categorical", "x", "--json").ExitCode);
        TrainingPlan plan = PlanJson.Deserialize(PlanJson.Serialize(engine.LastPlan!), "plan");
        Assert.Equal(["n/a", "?"], plan.Settings.Typing!.NaValues);
        Assert.Equal(["x"], plan.Settings.Typing.Categorical);
        Assert.Empty(plan.Settings.Typing.Numeric);
    }
}
