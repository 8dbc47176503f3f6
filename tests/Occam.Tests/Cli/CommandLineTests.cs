namespace Occam.Tests.Cli;

/// <summary>The command line's frame: help, parse errors and value checks, all without the library.</summary>
public class CommandLineTests
{
    [Fact]
    public void RootHelpListsEveryCommand()
    {
        var result = CliRunner.Run("--help");
        Assert.Equal(0, result.ExitCode);
        foreach (string command in new[] { "train", "compare", "eval", "predict", "report", "bench" })
        {
            Assert.Contains(command, result.Output, StringComparison.Ordinal);
        }

        Assert.Equal(string.Empty, result.Error);
    }

    [Theory]
    [InlineData("train", "--method")]
    [InlineData("compare", "--r0")]
    [InlineData("eval", "--data")]
    [InlineData("predict", "--input")]
    [InlineData("report", "DIR")]
    [InlineData("bench", "kernels")]
    public void EveryCommandHasHelp(string command, string mentioned)
    {
        var result = CliRunner.Run(command, "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains(mentioned, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void BenchKernelsHasHelp()
    {
        var result = CliRunner.Run("bench", "kernels", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--json", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownOptionIsOneLineWithExitCode2() =>
        CliRunner.AssertUsageError(CliRunner.Run("train", "--data", "digits", "--bogus"), "'--bogus'");

    [Fact]
    public void AnUnknownCommandIsOneLineWithExitCode2() =>
        CliRunner.AssertUsageError(CliRunner.Run("fly"), "'fly'");

    [Fact]
    public void NoCommandIsAUsageError() =>
        CliRunner.AssertUsageError(CliRunner.Run(), "see 'occam --help'");

    [Fact]
    public void AMissingRequiredOptionIsNamed() =>
        CliRunner.AssertUsageError(CliRunner.Run("train"), "'--data'");

    [Theory]
    [InlineData("--epochs", "0", "--epochs must be at least 1 (got 0)")]
    [InlineData("--epochs", "-3", "--epochs must be at least 1 (got -3)")]
    [InlineData("--epochs", "abc", "--epochs 'abc' is not an integer")]
    [InlineData("--r0", "0", "--r0 must be strictly between 0 and 1 (got 0)")]
    [InlineData("--r0", "1", "--r0 must be strictly between 0 and 1 (got 1)")]
    [InlineData("--r0", "1.5", "--r0 must be strictly between 0 and 1")]
    [InlineData("--r0", "-0.1", "--r0 must be strictly between 0 and 1")]
    [InlineData("--floor", "0", "--floor must be greater than 0 and at most 1")]
    [InlineData("--holdout", "1", "--holdout must be strictly between 0 and 1")]
    [InlineData("--lr", "0", "--lr must be a positive number")]
    [InlineData("--lr", "nan", "--lr 'nan' is not a number")]
    [InlineData("--batch-size", "0", "--batch-size must be at least 1")]
    [InlineData("--threads", "0", "--threads must be between 1 and")]
    [InlineData("--threads", "100000", "--threads must be between 1 and")]
    [InlineData("--dropout", "1", "--dropout must be at least 0 and less than 1")]
    [InlineData("--method", "sgd", "--method 'sgd': unknown method")]
    [InlineData("--model", "mlp:12,x", "--model 'mlp:12,x': hidden size 'x' is not a positive integer")]
    [InlineData("--model", "gpt:2,4,64,64", "needs text data")]
    [InlineData("--label", "y", "--label applies only to csv data")]
    [InlineData("--prune-every", "0", "--prune-every must be at least 1 (got 0)")]
    [InlineData("--prune-every", "x", "--prune-every 'x' is not an integer")]
    [InlineData("--holdout-subsample", "50", "--holdout-subsample applies only with --prune-every")]
    public void ImpossibleTrainingValuesAreRejected(string option, string value, string message)
    {
        var engine = new FakeEngine();
        CliRunner.AssertUsageError(CliRunner.Run(engine, "train", "--data", "digits", option, value), message);
        Assert.Null(engine.LastPlan);
    }

    [Theory]
    [InlineData("imagenet", "unknown data kind 'imagenet'")]
    [InlineData("csv", "csv needs a path")]
    [InlineData("csv:/no/such/file.csv", "file '/no/such/file.csv' does not exist")]
    [InlineData("mnist:/no/such/dir", "directory '/no/such/dir' does not exist")]
    [InlineData("fashion-mnist:/no/such/dir", "directory '/no/such/dir' does not exist")]
    public void BadDataSpecsAreRejected(string data, string message) =>
        CliRunner.AssertUsageError(CliRunner.Run(new FakeEngine(), "train", "--data", data), message);

    [Fact]
    public void CompareAcceptsOnlyOccamVariants() =>
        CliRunner.AssertUsageError(CliRunner.Run(new FakeEngine(), "compare", "--data", "digits", "--method", "dense"), "expected occam or occam-paper");

    [Fact]
    public void AnUnexpectedExceptionIsOneLineWithExitCode1()
    {
        var result = CliRunner.Run(new FakeEngine { FailWith = new InvalidOperationException("boom\nsecond line") }, "train", "--data", "digits");
        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        Assert.Equal("occam: unexpected error (InvalidOperationException): boom second line", line);
    }

    [Fact]
    public void AKnownInputProblemFromTheLibraryIsExitCode2()
    {
        var result = CliRunner.Run(new FakeEngine { FailWith = new InvalidDataException("train-images: wrong IDX magic 0x00000000") }, "train", "--data", "digits");
        CliRunner.AssertUsageError(result, "wrong IDX magic");
    }

    [Fact]
    public void ReportOnAMissingDirectoryIsAUsageError() =>
        CliRunner.AssertUsageError(CliRunner.Run("report", "/no/such/runs"), "run directory '/no/such/runs' does not exist");

    [Fact]
    public void EvalNeedsAnExistingModel() =>
        CliRunner.AssertUsageError(CliRunner.Run(new FakeEngine(), "eval", "/no/model", "--data", "digits"), "model '/no/model' does not exist");

    [Fact]
    public void PredictNeedsAnExistingInput() =>
        CliRunner.AssertUsageError(CliRunner.Run(new FakeEngine(), "predict", ".", "--input", "/no/rows.csv"), "--input '/no/rows.csv' does not exist");
}
