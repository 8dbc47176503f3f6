using System.Diagnostics;
using Occam.Serialization;
using Occam.Tests.Data;
using Occam.Training.Checkpoints;

namespace Occam.Tests.Training;

/// <summary>
/// A training process killed with SIGKILL mid-run and resumed from its checkpoint ends with the same final weights,
/// bit for bit, as an uninterrupted process.
/// </summary>
public class KillResumeTests
{
    private static readonly string HostPath = Path.Combine(AppContext.BaseDirectory, "Occam.TrainingHost.dll");

    private static Process Start(string directory, params string[] extra)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(HostPath);
        info.ArgumentList.Add("--out");
        info.ArgumentList.Add(directory);
        foreach (string arg in extra)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("could not start the training host");
    }

    private static void RunToEnd(string directory, params string[] extra)
    {
        using var process = Start(directory, extra);
        string error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the training host did not finish");
        Assert.True(process.ExitCode == 0, $"training host failed ({process.ExitCode}): {error}");
    }

    [Fact]
    public void KilledTrainingResumesToTheSameFinalWeights()
    {
        Assert.True(File.Exists(HostPath), $"missing {HostPath}");
        using var dir = new TempDir();
        string whole = Path.Combine(dir.Path, "whole");
        string killed = Path.Combine(dir.Path, "killed");
        RunToEnd(whole);

        using (var process = Start(killed, "--pause-ms", "250"))
        {
            var clock = Stopwatch.StartNew();
            // The epoch-0 checkpoint comes first; kill once an epoch has been trained.
            while (!(Checkpoint.Exists(killed) && Checkpoint.ReadInfo(killed).Epoch >= 1) && !process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(1))
            {
                Thread.Sleep(5);
            }

            Assert.False(process.HasExited, "the host ended before it could be killed");
            process.Kill(entireProcessTree: true); // SIGKILL on Unix: no cleanup runs
            process.WaitForExit();
        }

        Assert.False(File.Exists(Path.Combine(killed, "final.safetensors")));
        var info = Checkpoint.ReadInfo(killed);
        Assert.InRange(info.Epoch, 1, info.Epochs - 1);
        Assert.False(info.Finished);

        RunToEnd(killed, "--resume");

        var (expected, _) = SafeTensors.Read(Path.Combine(whole, "final.safetensors"));
        var (actual, _) = SafeTensors.Read(Path.Combine(killed, "final.safetensors"));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.Contains(expected.Keys, k => k.EndsWith(".mask", StringComparison.Ordinal));
        foreach (var (name, tensor) in expected)
        {
            Assert.True(tensor.Span.SequenceEqual(actual[name].Span), $"{name} differs after resuming");
        }
    }
}
