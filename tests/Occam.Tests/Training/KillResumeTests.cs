using System.Diagnostics;
using Occam.Serialization;
using Occam.Tests.Data;
using Occam.Training.Checkpoints;

namespace Occam.Tests.Training;

/// <summary>
/// Training processes of every method killed with SIGKILL at seeded random moments (during an epoch, between epochs or
/// while a checkpoint is being written) and resumed from what they left end with the same final weights, bit for bit,
/// as an uninterrupted process, and leave no temporary files behind.
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
    public void ProcessesKilledAtRandomMomentsResumeToTheSameFinalWeights()
    {
        Assert.True(File.Exists(HostPath), $"missing {HostPath}");
        var random = new Random(2026);
        int killedMidRun = 0;
        foreach (string method in new[] { "occam", "occam-paper", "dense", "posthoc", "gmp", "imp" })
        {
            using var dir = new TempDir();
            string whole = Path.Combine(dir.Path, "whole");
            string killed = Path.Combine(dir.Path, "killed");
            RunToEnd(whole, "--method", method);

            // Two kills per run, each a random time after the previous start's first checkpoint: anywhere in an epoch,
            // between epochs, or inside a checkpoint write.
            for (int kill = 0; kill < 2; kill++)
            {
                using var process = Start(killed, kill == 0 ? ["--method", method] : ["--method", method, "--resume"]);
                var clock = Stopwatch.StartNew();
                while (!Checkpoint.Exists(killed) && !process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(1))
                {
                    Thread.Sleep(1);
                }

                Thread.Sleep(random.Next(0, 400));
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true); // SIGKILL on Unix: no cleanup runs
                    killedMidRun++;
                }

                process.WaitForExit();
            }

            RunToEnd(killed, "--method", method, "--resume");
            Assert.Empty(Directory.GetFiles(killed, "*.tmp"));
            var (expected, _) = SafeTensors.Read(Path.Combine(whole, "final.safetensors"));
            var (actual, _) = SafeTensors.Read(Path.Combine(killed, "final.safetensors"));
            Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
            foreach (var (name, tensor) in expected)
            {
                Assert.True(tensor.Span.SequenceEqual(actual[name].Span), $"{method}: {name} differs after kills and resumes");
            }
        }

        // The moments are random, but with twelve draws some must land inside a run, or the test proves nothing.
        Assert.InRange(killedMidRun, 3, 12);
    }

    [Fact]
    public void AKillDuringACheckpointWriteLeavesARunThatResumes()
    {
        using var dir = new TempDir();
        string whole = Path.Combine(dir.Path, "whole");
        string killed = Path.Combine(dir.Path, "killed");
        RunToEnd(whole);
        using (var process = Start(killed, "--pause-ms", "200"))
        {
            var clock = Stopwatch.StartNew();
            while (!(Checkpoint.Exists(killed) && Checkpoint.ReadInfo(killed).Epoch >= 2) && !process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(1))
            {
                Thread.Sleep(5);
            }

            Assert.False(process.HasExited, "the host ended before it could be killed");
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        // What a kill inside the write of the next checkpoint leaves: the previous checkpoint and a partial temporary
        // file of a process that no longer runs.
        string checkpoint = Checkpoint.PathIn(killed);
        Assert.False(Checkpoint.ReadInfo(killed).Finished);
        string partial = Path.Combine(killed, $".{Checkpoint.FileName}.{DeadProcessId()}.tmp");
        File.WriteAllBytes(partial, File.ReadAllBytes(checkpoint)[..4096]);

        RunToEnd(killed, "--resume");
        Assert.False(File.Exists(partial));
        var (expected, _) = SafeTensors.Read(Path.Combine(whole, "final.safetensors"));
        var (actual, _) = SafeTensors.Read(Path.Combine(killed, "final.safetensors"));
        foreach (var (name, tensor) in expected)
        {
            Assert.True(tensor.Span.SequenceEqual(actual[name].Span), $"{name} differs");
        }
    }

    /// <summary>The id of a process that has just ended, so no process has it now.</summary>
    private static int DeadProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }
}
