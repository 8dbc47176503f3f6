using Occam.Cli.Output;
using Occam.Serialization;
using Occam.Training.Checkpoints;

namespace Occam.Tests.Cli;

/// <summary>
/// A run the user may want to continue is never deleted by a failure: Ctrl-C, divergence and a failed resume keep the
/// staging folder (a failed resume leaves it byte for byte as it was), and one process at a time writes a run.
/// </summary>
public sealed class RunKeepingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("occam-keeping").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Iris() => RunFolders.CopyIris(_dir);

    private static string[] Train(string csv, string output, params string[] extra) =>
        ["train", "--data", "csv:" + csv, "--model", "mlp:16", "--method", "occam", "--epochs", "6", "--seed", "3", "--threads", "1", "--out", output, .. extra];

    private static string Staging(string output) => RunOutput.StagingPathOf(output);

    private static SortedDictionary<string, string> Snapshot(string folder) => RunFolders.Snapshot(folder);

    [Fact]
    public void CtrlCKeepsTheRunAtItsCheckpointAndResumeEndsAsAnUninterruptedRun()
    {
        string csv = Iris();
        string output = Path.Combine(_dir, "runs", "tr");
        var interrupted = CliRunner.RunInterrupted("epoch 2:", Train(csv, output));

        Assert.Equal(130, interrupted.ExitCode);
        string message = interrupted.ErrorLines[^1];
        Assert.StartsWith("occam: interrupted; the run is kept at epoch 2 in ", message, StringComparison.Ordinal);
        Assert.EndsWith($"continue it with 'occam train --resume {output}'", message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
        Assert.Equal(2, Checkpoint.ReadInfo(Staging(output)).Epoch);

        var resumed = CliRunner.Run("train", "--resume", output, "--json");
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.False(Directory.Exists(Staging(output)));
        Assert.Empty(Directory.GetFiles(output, ".*"));

        string whole = Path.Combine(_dir, "runs", "whole");
        Assert.Equal(0, CliRunner.Run(Train(csv, whole)).ExitCode);
        var (expected, _) = SafeTensors.Read(Path.Combine(whole, "model.safetensors"));
        var (actual, _) = SafeTensors.Read(Path.Combine(output, "model.safetensors"));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, tensor) in expected)
        {
            Assert.True(tensor.Span.SequenceEqual(actual[name].Span), $"{name} differs after Ctrl-C and resume");
        }

        Assert.Equal(WithoutTimes(Path.Combine(whole, "epochs.jsonl")), WithoutTimes(Path.Combine(output, "epochs.jsonl")));
    }

    [Fact]
    public void CtrlCBeforeTheFirstEpochEndsKeepsARunThatResumes()
    {
        string csv = RegressionCliTests.WriteLine(Path.Combine(_dir, "line.csv"), 120);
        string output = Path.Combine(_dir, "first");

        // The task-inference note is printed before training starts, so the interrupt lands in epoch 1.
        var interrupted = CliRunner.RunInterrupted("inferred task regression", Train(csv, output));

        Assert.Equal(130, interrupted.ExitCode);
        Assert.StartsWith("occam: interrupted; the run is kept at epoch 0 in ", interrupted.ErrorLines[^1], StringComparison.Ordinal);
        Assert.Equal(0, Checkpoint.ReadInfo(Staging(output)).Epoch);
        Assert.Equal(0, CliRunner.Run("train", "--resume", output).ExitCode);
        Assert.True(File.Exists(Path.Combine(output, "summary.json")));
    }

    [Fact]
    public void AFailedResumeLeavesTheStagingFolderExactlyAsItWas()
    {
        string csv = Iris();
        string output = Path.Combine(_dir, "tr");
        Assert.Equal(130, CliRunner.RunInterrupted("epoch 3:", Train(csv, output)).ExitCode);
        var before = Snapshot(Staging(output));
        Assert.Contains(Checkpoint.FileName, before.Keys);
        Assert.Contains("epochs.jsonl", before.Keys);

        // The data is gone: the resume fails before training, and says the run is still there.
        File.Move(csv, csv + ".moved");
        var missing = CliRunner.Run("train", "--resume", output);
        CliRunner.AssertUsageError(missing, "iris.csv");
        Assert.Contains($"the run is kept at epoch 3 in '{Staging(output)}'", missing.Error, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(Staging(output)));

        // A damaged checkpoint: refused, and the folder (damage included) is left for the user to look at.
        File.Move(csv + ".moved", csv);
        string checkpoint = Path.Combine(Staging(output), Checkpoint.FileName);
        File.WriteAllBytes(checkpoint, File.ReadAllBytes(checkpoint)[..100]);
        before = Snapshot(Staging(output));
        CliRunner.AssertUsageError(CliRunner.Run("train", "--resume", output), Checkpoint.FileName);
        Assert.Equal(before, Snapshot(Staging(output)));
    }

    [Fact]
    public void DivergenceKeepsTheStagedRunWithItsLastGoodCheckpointAndSaysSo()
    {
        string csv = RegressionCliTests.WriteLine(Path.Combine(_dir, "line.csv"), 120);
        string output = Path.Combine(_dir, "div");
        var result = CliRunner.Run(Train(csv, output, "--lr", "1e10"));

        Assert.Equal(2, result.ExitCode);
        string line = result.ErrorLines[^1];
        Assert.StartsWith("occam: training diverged", line, StringComparison.Ordinal);
        Assert.Contains($"its records and last good checkpoint at epoch 0 are kept in '{Staging(output)}'", line, StringComparison.Ordinal);
        Assert.Contains("lower --lr", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
        var info = Checkpoint.ReadInfo(Staging(output));
        Assert.Equal(0, info.Epoch);
        Assert.False(info.Finished);
    }

    [Fact]
    public void ASecondWriterIsRefusedWithTheLiveProcessAndAKilledOneLeavesNoLock()
    {
        string csv = Iris();
        string output = Path.Combine(_dir, "tr");
        Assert.Equal(130, CliRunner.RunInterrupted("epoch 1:", Train(csv, output)).ExitCode);
        var before = Snapshot(Staging(output));

        // A leftover lock file without a live holder (a killed process) keeps nobody out: the staged-run message says
        // the run is interrupted, not running.
        File.WriteAllText(Path.Combine(_dir, ".tr.lock"), "");
        var again = CliRunner.Run(Train(csv, output));
        CliRunner.AssertUsageErrorAfterCsvSummary(again, "an interrupted run is staged");
        Assert.Contains("not running", again.Error, StringComparison.Ordinal);

        using (RunLock.Acquire(Path.GetFullPath(output), "--out", output))
        {
            string pid = $"pid {Environment.ProcessId}";
            CliRunner.AssertUsageError(CliRunner.Run("train", "--resume", output), pid);
            CliRunner.AssertUsageErrorAfterCsvSummary(CliRunner.Run(Train(csv, output)), pid);
            CliRunner.AssertUsageErrorAfterCsvSummary(CliRunner.Run("compare", "--data", "csv:" + csv, "--model", "mlp:8", "--epochs", "1", "--out", output), pid);
            Assert.Equal(before, Snapshot(Staging(output)));
        }

        Assert.Equal(0, CliRunner.Run("train", "--resume", output).ExitCode);
        Assert.Empty(Directory.GetFiles(_dir, ".tr.*"));
    }

    [Fact]
    public void ALiveWriterInAnotherProcessIsNamedAndSIGKILLLeavesNoLockHeld()
    {
        string csv = Path.Combine(_dir, "digits.csv");
        File.Copy(Path.Combine(Occam.Tests.Data.TabularTests.RepositoryRoot(), "data", "tabular", "digits.csv"), csv);
        string output = Path.Combine(_dir, "live");
        var info = new System.Diagnostics.ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] args = [Path.Combine(AppContext.BaseDirectory, "Occam.Cli.dll"), "train", "--data", "csv:" + csv, "--model", "mlp:256,256", "--epochs", "80", "--out", output];
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var trained = new ManualResetEventSlim();
        using var process = System.Diagnostics.Process.Start(info)!;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("epoch 2:", StringComparison.Ordinal) == true)
            {
                trained.Set();
            }
        };
        process.BeginErrorReadLine();
        SpinWait.SpinUntil(() => trained.IsSet || process.HasExited, TimeSpan.FromMinutes(1));
        Assert.True(trained.IsSet, $"the training process never finished an epoch (exited: {process.HasExited})");
        Assert.False(process.HasExited, "the training process ended before the test could meet it");

        string pid = $"another occam process (pid {process.Id}) is writing this run";
        CliRunner.AssertUsageError(CliRunner.Run("train", "--resume", output), pid);
        CliRunner.AssertUsageErrorAfterCsvSummary(CliRunner.Run(Train(csv, output)), pid);

        process.Kill(entireProcessTree: true); // SIGKILL: the OS drops the lock with the process
        process.WaitForExit();
        var resumed = CliRunner.Run("train", "--resume", output);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.True(File.Exists(Path.Combine(output, "summary.json")));
        Assert.Empty(Directory.GetFiles(_dir, ".live.*"));
    }

    private static string[] WithoutTimes(string epochsJsonl) =>
        [.. File.ReadAllLines(epochsJsonl).Select(line => System.Text.RegularExpressions.Regex.Replace(line, "\"train_seconds\":[^,}]*", ""))];
}
