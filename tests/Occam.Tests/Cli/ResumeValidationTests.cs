using System.Text.Json.Nodes;
using Occam.Cli.Output;
using Occam.Serialization;
using Occam.Tensors;
using Occam.Training.Checkpoints;

namespace Occam.Tests.Cli;

/// <summary>
/// What a resume reads is validated as strictly as options on the command line (each refusal one line, exit 2, the
/// staging folder untouched); output paths that would destroy an input or another output, and requests that cannot
/// run (too large, out of float range, data that cannot be split), are usage errors before any work.
/// </summary>
public sealed class ResumeValidationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("occam-validation").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Iris() => RunFolders.CopyIris(_dir);

    /// <summary>An occam run on iris interrupted after epoch 3; returns its destination.</summary>
    private string Interrupted()
    {
        string output = Path.Combine(_dir, "tr");
        var result = CliRunner.RunInterrupted("epoch 3:", "train", "--data", "csv:" + Iris(), "--model", "mlp:16", "--epochs", "8", "--threads", "1", "--out", output);
        Assert.Equal(130, result.ExitCode);
        return output;
    }

    private static void EditCheckpoint(string staging, Action<Dictionary<string, Tensor>, Dictionary<string, string>> edit)
    {
        string path = Checkpoint.PathIn(staging);
        var (tensors, metadata) = SafeTensors.Read(path);
        edit(tensors, metadata);
        SafeTensors.Write(path, tensors, metadata);
    }

    private static SortedDictionary<string, string> Snapshot(string folder) => RunFolders.Snapshot(folder);

    private static void AssertResumeRefused(string output, string fragment)
    {
        string staging = RunOutput.StagingPathOf(output);
        var before = Snapshot(staging);
        var result = CliRunner.Run("train", "--resume", output);
        CliRunner.AssertUsageError(result, fragment);
        Assert.Contains("the run is kept as it was", result.Error, StringComparison.Ordinal);
        Assert.Contains("cannot be resumed as it stands", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(staging));
    }

    [Theory]
    [InlineData("--epochs", "5")]
    [InlineData("--lr", "0.01")]
    [InlineData("--method", "dense")]
    public void AnOptionBesideResumeIsRefusedNotIgnored(string option, string value)
    {
        var result = CliRunner.Run(new FakeEngine(), "train", "--resume", Path.Combine(_dir, "run"), option, value);
        CliRunner.AssertUsageError(result, $"{option} cannot be combined with --resume");
        Assert.False(Directory.Exists(Path.Combine(_dir, "run")));
    }

    [Theory]
    [InlineData("Epochs", -1, "--epochs must be at least 1 (got -1)")]
    [InlineData("Threads", 0, "--threads must be between 1 and")]
    [InlineData("BatchSize", 0, "--batch-size must be at least 1 (got 0)")]
    [InlineData("LearningRate", 1e40, "--lr 1E+40 is out of the range of 32-bit floats")]
    [InlineData("HoldoutFraction", 1.5, "--holdout must be strictly between 0 and 1 (got 1.5)")]
    public void ResumeRevalidatesTheSavedPlan(string setting, double value, string fragment)
    {
        string output = Interrupted();
        EditCheckpoint(RunOutput.StagingPathOf(output), (_, metadata) =>
        {
            var caller = JsonNode.Parse(metadata["metadata"])!.AsObject();
            var plan = JsonNode.Parse(caller["plan"]!.GetValue<string>())!.AsObject();
            plan["Settings"]![setting] = setting is "Epochs" or "Threads" or "BatchSize" ? JsonValue.Create((int)value) : JsonValue.Create(value);
            caller["plan"] = plan.ToJsonString();
            metadata["metadata"] = caller.ToJsonString();
        });
        AssertResumeRefused(output, fragment);
    }

    [Fact]
    public void ResumeRefusesWhenTheDestinationAlreadyExistsBesideTheInterruptedRun()
    {
        string output = Interrupted();
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "keep.txt"), "the user's");
        string staging = RunOutput.StagingPathOf(output);
        var before = Snapshot(staging);
        var result = CliRunner.Run("train", "--resume", output);
        CliRunner.AssertUsageError(result, "already exists beside the interrupted run");
        Assert.Equal(before, Snapshot(staging));
        Assert.Equal("the user's", File.ReadAllText(Path.Combine(output, "keep.txt")));
    }

    [Fact]
    public void ResumeRefusesAnEpochCounterThatDisagreesWithTheRecords()
    {
        string output = Interrupted();
        EditCheckpoint(RunOutput.StagingPathOf(output), (_, metadata) =>
        {
            var state = JsonNode.Parse(metadata["state"])!.AsObject();
            state["epoch"] = 6;
            metadata["state"] = state.ToJsonString();
        });
        AssertResumeRefused(output, "its epoch 6 disagrees with");
    }

    [Fact]
    public void ResumeRefusesEpochsJsonlOfAnotherRun()
    {
        string output = Interrupted();
        string epochs = Path.Combine(RunOutput.StagingPathOf(output), "epochs.jsonl");
        File.WriteAllLines(epochs, File.ReadAllLines(epochs).Skip(1));
        AssertResumeRefused(output, "epochs.jsonl");
    }

    [Fact]
    public void ResumeRefusesADamagedEpochsJsonlLineByNumber()
    {
        string output = Interrupted();
        string epochs = Path.Combine(RunOutput.StagingPathOf(output), "epochs.jsonl");
        string[] lines = File.ReadAllLines(epochs);
        lines[0] = lines[0].Replace("\"holdout_loss\"", "\"lost\"", StringComparison.Ordinal);
        File.WriteAllLines(epochs, lines);
        AssertResumeRefused(output, "epochs.jsonl, line 1: not an epoch record");
    }

    [Fact]
    public void ResumeRefusesAMaskThatContradictsItsWeights()
    {
        string output = Interrupted();
        EditCheckpoint(RunOutput.StagingPathOf(output), (tensors, _) => tensors["model/0.weight.mask"].Span.Clear());
        AssertResumeRefused(output, "mask 'model/0.weight.mask' marks");
    }

    [Fact]
    public void ResumeRefusesAnUnknownCheckpointFormat()
    {
        string output = Interrupted();
        EditCheckpoint(RunOutput.StagingPathOf(output), (_, metadata) => metadata["format"] = "occam-checkpoint-9");
        AssertResumeRefused(output, "unknown \"format\"");
    }

    [Fact]
    public void ASavedModelOfAnUnknownFormatIsRefused()
    {
        string run = Path.Combine(_dir, "run");
        Assert.Equal(0, CliRunner.Run("train", "--data", "csv:" + Iris(), "--model", "mlp:8", "--epochs", "2", "--out", run).ExitCode);
        string model = Path.Combine(run, "model.safetensors");
        var (tensors, metadata) = SafeTensors.Read(model);
        metadata["format"] = "occam-model-7";
        SafeTensors.Write(model, tensors, metadata);
        CliRunner.AssertUsageError(CliRunner.Run("eval", run, "--data", "csv:" + Iris()), "format 'occam-model-7'");
    }

    [Fact]
    public void OutputsThatWouldDestroyAnInputOrAnotherOutputAreRefusedBeforeAnyWork()
    {
        string run = Path.Combine(_dir, "run");
        string csv = Iris();
        Assert.Equal(0, CliRunner.Run("train", "--data", "csv:" + csv, "--model", "mlp:8", "--epochs", "2", "--out", run).ExitCode);
        var before = Snapshot(_dir);
        var runBefore = Snapshot(run);
        string link = Path.Combine(_dir, "link.csv");

        CliRunner.AssertUsageError(CliRunner.Run("predict", run, "--input", csv, "--output", csv), "is the same file as --input");
        File.CreateSymbolicLink(link, csv);
        CliRunner.AssertUsageError(CliRunner.Run("predict", run, "--input", csv, "--output", link), "is the same file as --input");
        File.Delete(link);
        string both = Path.Combine(_dir, "model.bin");
        CliRunner.AssertUsageError(CliRunner.Run("export", run, "--onnx", both, "--safetensors", both), "--safetensors");
        CliRunner.AssertUsageError(CliRunner.Run("export", run, "--safetensors", Path.Combine(run, "model.safetensors")), "is the same file as RUN_DIR");

        Assert.Equal(before, Snapshot(_dir));
        Assert.Equal(runBefore, Snapshot(run));
    }

    [Theory]
    [InlineData("--batch-size", "2147483647", "more than the 2147483591 one tensor can hold", true)]
    [InlineData("--model", "mlp:100000,100000", "more than the 2147483591 one tensor can hold", true)]
    [InlineData("--model", "mlp:40000,40000", "of memory to train", true)]
    [InlineData("--lr", "1e40", "--lr '1e40' is not a number within the range of 32-bit floats", false)]
    [InlineData("--lr", "1e-50", "--lr '1e-50' is not a number within the range of 32-bit floats", false)]
    public void RequestsThatCannotRunAreUsageErrors(string option, string value, string fragment, bool failsAfterReadingTheCsv)
    {
        string output = Path.Combine(_dir, "never");
        var result = CliRunner.Run("train", "--data", "csv:" + Iris(), option, value, "--epochs", "1", "--out", output);
        if (failsAfterReadingTheCsv)
        {
            CliRunner.AssertUsageErrorAfterCsvSummary(result, fragment);
        }
        else
        {
            CliRunner.AssertUsageError(result, fragment);
        }

        Assert.False(Directory.Exists(output));
        Assert.Empty(Directory.GetFileSystemEntries(_dir, ".never*"));
    }

    [Fact]
    public void DataThatCannotBeSplitOrHasABadTargetIsAUsageError()
    {
        string classes = Path.Combine(_dir, "classes.csv");
        File.WriteAllLines(classes, ["a,b,class", .. Enumerable.Range(0, 10_000).Select(i => $"{i % 7},{i % 13},c{i}")]);
        CliRunner.AssertUsageErrorAfterCsvSummary(CliRunner.Run("train", "--data", "csv:" + classes, "--model", "mlp:8", "--epochs", "1"), "too few to hold out");

        string line = RegressionCliTests.WriteLine(Path.Combine(_dir, "line.csv"), 200);
        var rows = File.ReadAllLines(line);
        rows[50] = rows[50][..rows[50].LastIndexOf(',')] + ",NaN";
        File.WriteAllLines(line, rows);
        // One NaN target no longer turns the column into 199 classes: the task stays regression and the row is named.
        var result = CliRunner.Run("train", "--data", "csv:" + line, "--model", "mlp:8", "--epochs", "1");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(2, result.ErrorLines.Length);
        Assert.StartsWith("occam: inferred task regression", result.ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains("line 51, column 3 ('target'): regression needs a numeric target", result.ErrorLines[1], StringComparison.Ordinal);
    }
}
