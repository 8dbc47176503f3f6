using System.Diagnostics;
using System.Text.RegularExpressions;
using Occam.Benchmarks;
using Occam.Cli;
using Occam.Cli.Commands;

namespace Occam.Tests.Cli;

/// <summary>Issue 22: sweeps split into shards by index, one result file per cell, and <c>occam bench merge</c>.</summary>
public sealed partial class BenchSweepTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("occam-sweep").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(40)]
    public void ShardsCoverTheGridWithoutOverlap(int count)
    {
        var grid = Sweep.Grid(["wine", "iris", "glass"], [2, 0, 1], ["occam", "dense", "rf"]);
        var seen = new List<string>();
        for (int i = 0; i < count; i++)
        {
            var shard = Sweep.Shard(grid, i, count);
            Assert.InRange(shard.Count, grid.Count / count, (grid.Count / count) + 1);
            seen.AddRange(shard.Select(c => c.Key));
        }

        Assert.Equal(grid.Select(c => c.Key).Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        Assert.Equal(seen.Count, seen.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void TheGridIsSortedAndIndependentOfTheOrderItIsGivenIn()
    {
        var grid = Sweep.Grid(["wine", "iris"], [1, 0], ["occam", "dense"]);
        var again = Sweep.Grid(["iris", "wine", "iris"], [0, 1], ["occam", "dense"]);

        Assert.Equal(
            ["iris.seed0.occam", "iris.seed0.dense", "iris.seed1.occam", "iris.seed1.dense", "wine.seed0.occam", "wine.seed0.dense", "wine.seed1.occam", "wine.seed1.dense"],
            grid.Select(c => c.Key));
        Assert.Equal(grid, again);
    }

    [Fact]
    public void TheSchedulersIndexVariablesAreHonoured()
    {
        static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
            name => variables.FirstOrDefault(v => v.Name == name).Value;

        Assert.Null(BenchShard.Resolve(null, Env()));
        Assert.Equal(new BenchShard(2, 3, "SLURM_ARRAY_TASK_ID"), BenchShard.Resolve(null, Env(("SLURM_ARRAY_TASK_ID", "2"), ("SLURM_ARRAY_TASK_COUNT", "3"))));
        Assert.Equal(new BenchShard(0, 3, "SLURM_ARRAY_TASK_ID"),
            BenchShard.Resolve(null, Env(("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_COUNT", "3"), ("SLURM_ARRAY_TASK_MIN", "1"))));
        Assert.Equal(new BenchShard(4, 5, "JOB_COMPLETION_INDEX"), BenchShard.Resolve(null, Env(("JOB_COMPLETION_INDEX", "4"), (BenchShard.CountVariable, "5"))));
        Assert.Equal(new BenchShard(1, 2, "--shard"), BenchShard.Resolve("1/2", Env(("SLURM_ARRAY_TASK_ID", "0"), ("SLURM_ARRAY_TASK_COUNT", "3"))));

        Assert.Contains(BenchShard.CountVariable, Assert.Throws<UsageException>(() => BenchShard.Resolve(null, Env(("JOB_COMPLETION_INDEX", "0")))).Message, StringComparison.Ordinal);
        Assert.Contains("SLURM_ARRAY_TASK_COUNT", Assert.Throws<UsageException>(() => BenchShard.Resolve(null, Env(("SLURM_ARRAY_TASK_ID", "0")))).Message, StringComparison.Ordinal);
        Assert.Throws<UsageException>(() => BenchShard.Resolve(null, Env(("SLURM_ARRAY_TASK_ID", "3"), ("SLURM_ARRAY_TASK_COUNT", "3"))));
        Assert.Throws<UsageException>(() => BenchShard.Resolve(null, Env(("JOB_COMPLETION_INDEX", "5"), (BenchShard.CountVariable, "5"))));
        foreach (string bad in new[] { "3/3", "-1/3", "1", "0/0", "a/b", "1/2/3" })
        {
            Assert.Contains("--shard", Assert.Throws<UsageException>(() => BenchShard.Resolve(bad, Env())).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ListPrintsTheNumberedCellsOfTheShard()
    {
        string data = TwoSets();
        var all = CliRunner.Run(new FakeEngine(), "bench", "tabular", "--data", data, "--seeds", "2", "--list");
        var shard = CliRunner.Run(new FakeEngine(), "bench", "tabular", "--data", data, "--seeds", "2", "--list", "--shard", "1/3");

        Assert.Equal(0, all.ExitCode);
        string[] lines = all.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2 * 2 * BenchTabularCommand.Methods.Count, lines.Length);
        Assert.Equal("0 iris.seed0.occam", lines[0]);
        Assert.Equal("1 iris.seed0.occam-paper", lines[1]);
        Assert.Equal(lines.Where((_, k) => k % 3 == 1), shard.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void MethodsPicksTheGridsMethodsInReportOrder()
    {
        string data = TwoSets();
        var listed = CliRunner.Run(new FakeEngine(), "bench", "tabular", "--data", data, "--seeds", "1", "--methods", "dense,occam", "--list");

        Assert.Equal(["0 iris.seed0.occam", "1 iris.seed0.dense", "2 wine.seed0.occam", "3 wine.seed0.dense"], listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        CliRunner.AssertUsageError(CliRunner.Run(new FakeEngine(), "bench", "tabular", "--data", data, "--methods", "dense,sgd", "--list"), "--methods: unknown method 'sgd'");
    }

    [Fact]
    public void ShardsMergedGiveTheUnshardedRunsFilesByteForByte()
    {
        string data = TwoSets();
        string one = Path.Combine(_dir, "one");
        string sweep = Path.Combine(_dir, "sweep");
        var unsharded = CliRunner.Run(new FakeEngine(), "bench", "tabular", "--data", data, "--seeds", "2", "--out", one);
        for (int i = 0; i < 3; i++)
        {
            var shard = CliRunner.Run(new FakeEngine(), "bench", "tabular", "--data", data, "--seeds", "2", "--out", sweep, "--shard", $"{i}/3");
            Assert.True(shard.ExitCode == 0, shard.Error);
            Assert.Contains($"shard {i}/3 (--shard): 8 cells run, 0 already done", shard.Output, StringComparison.Ordinal);
        }

        var merged = CliRunner.Run(new FakeEngine(), "bench", "merge", sweep);

        Assert.True(merged.ExitCode == 0, merged.Error);
        Assert.Equal(unsharded.Output, merged.Output);
        foreach (string file in new[] { "tabular.jsonl", "tabular.md", SweepDirectory.ManifestFileName })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(one, file)), File.ReadAllBytes(Path.Combine(sweep, file)));
        }

        Assert.Equal(Directory.GetFiles(Path.Combine(one, "cells")).Select(Path.GetFileName), Directory.GetFiles(Path.Combine(sweep, "cells")).Select(Path.GetFileName));
        var json = CliRunner.Run(new FakeEngine(), "bench", "merge", sweep, "--json", "--out", Path.Combine(_dir, "report"));
        Assert.Equal(File.ReadAllText(Path.Combine(one, "tabular.jsonl")), json.Output);
    }

    [Fact]
    public void MergeNamesTheMissingCells()
    {
        string data = TwoSets();
        string sweep = Path.Combine(_dir, "sweep");
        Assert.Equal(0, CliRunner.Run(new FakeEngine(), "bench", "tabular", "--data", data, "--out", sweep, "--shard", "0/2", "--seeds", "1").ExitCode);

        var merged = CliRunner.Run(new FakeEngine(), "bench", "merge", sweep);

        CliRunner.AssertUsageError(merged, "6 of the sweep's 12 cells have no result");
        Assert.Contains("iris.seed0.occam-paper, iris.seed0.posthoc, iris.seed0.gbdt, wine.seed0.occam-paper", merged.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(sweep, "tabular.md")));
    }

    [Fact]
    public void AShardOfAnotherSweepIsRefusedBeforeItRuns()
    {
        string data = TwoSets();
        string sweep = Path.Combine(_dir, "sweep");
        Assert.Equal(0, CliRunner.Run(new FakeEngine(), "bench", "tabular", "--data", data, "--out", sweep, "--shard", "0/2", "--seeds", "1").ExitCode);
        int cells = Directory.GetFiles(Path.Combine(sweep, "cells")).Length;

        CliRunner.AssertUsageError(CliRunner.Run(new FakeEngine(), "bench", "tabular", "--data", data, "--out", sweep, "--shard", "1/2", "--seeds", "2"),
            "holds a different sweep");
        CliRunner.AssertUsageError(CliRunner.Run(new FakeEngine(), "bench", "tabular", "--data", data, "--shard", "1/2"), "pass --out DIR");
        CliRunner.AssertUsageError(CliRunner.Run(new FakeEngine(), "bench", "merge", Path.Combine(_dir, "nothing")), "nothing");
        Assert.Equal(cells, Directory.GetFiles(Path.Combine(sweep, "cells")).Length);
    }

    /// <summary>
    /// The library engine in separate processes, as a cluster runs them: one shard by <c>--shard</c>, one by Slurm's
    /// variables, one by a Kubernetes Indexed Job's; merged, the report equals the unsharded run's apart from timings.
    /// </summary>
    [Fact]
    public void ThreeShardProcessesMergedEqualOneUnshardedRun()
    {
        string data = TwoSets();
        string sweep = Path.Combine(_dir, "sweep");
        string one = Path.Combine(_dir, "one");
        string[] args = ["bench", "tabular", "--data", data, "--seeds", "2", "--epochs", "2", "--out", sweep];
        using var first = StartCli([.. args, "--shard", "0/3"], []);
        using var second = StartCli(args, [("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_COUNT", "3")]);
        using var third = StartCli(args, [("JOB_COMPLETION_INDEX", "2"), (BenchShard.CountVariable, "3")]);
        var unsharded = CliRunner.Run("bench", "tabular", "--data", data, "--seeds", "2", "--epochs", "2", "--out", one);
        foreach (var (process, source) in new[] { (first, "--shard"), (second, "SLURM_ARRAY_TASK_ID"), (third, "JOB_COMPLETION_INDEX") })
        {
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
            Assert.Contains($"({source}): 8 cells run", output, StringComparison.Ordinal);
        }

        var merged = CliRunner.Run("bench", "merge", sweep);

        Assert.True(unsharded.ExitCode == 0, unsharded.Error);
        Assert.True(merged.ExitCode == 0, merged.Error);
        Assert.Equal(WithoutTimings(unsharded.Output), WithoutTimings(merged.Output));
        foreach (string file in new[] { "tabular.jsonl", "tabular.md" })
        {
            Assert.Equal(WithoutTimings(File.ReadAllText(Path.Combine(one, file))), WithoutTimings(File.ReadAllText(Path.Combine(sweep, file))));
        }
    }

    [Fact]
    public void AShardKilledMidCellCompletesWhenRunAgainWithoutRedoingFinishedCells()
    {
        string data = Path.Combine(_dir, "data");
        Directory.CreateDirectory(data);
        File.Copy(Path.Combine(Occam.Tests.Data.TabularTests.RepositoryRoot(), "data", "tabular", "iris.csv"), Path.Combine(data, "iris.csv"));
        string sweep = Path.Combine(_dir, "sweep");
        string cells = Path.Combine(sweep, SweepDirectory.CellsFolderName);
        // occam's 300 epochs take seconds, long enough to be killed in; the grid starts with it, then occam-paper's.
        string[] args = ["bench", "tabular", "--data", data, "--seeds", "1", "--epochs", "300", "--out", sweep, "--shard", "0/1"];
        using (var killed = StartCli(args, []))
        {
            SpinWait.SpinUntil(() => killed.HasExited || (Directory.Exists(cells) && Directory.GetFiles(cells, "*.json").Length > 0), TimeSpan.FromMinutes(3));
            Assert.False(killed.HasExited, "the shard ended before the test could kill it mid-cell");
            killed.Kill(entireProcessTree: true);
            killed.WaitForExit();
        }

        var finished = Directory.GetFiles(cells, "*.json").ToDictionary(f => f, File.GetLastWriteTimeUtc);
        Assert.InRange(finished.Count, 1, BenchTabularCommand.Methods.Count - 1);

        var again = CliRunner.Run(args);

        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains($"{BenchTabularCommand.Methods.Count - finished.Count} cells run, {finished.Count} already done", again.Output, StringComparison.Ordinal);
        Assert.Equal(BenchTabularCommand.Methods.Count, Directory.GetFiles(cells, "*.json").Length);
        Assert.All(finished, f => Assert.Equal(f.Value, File.GetLastWriteTimeUtc(f.Key)));
        Assert.Equal(0, CliRunner.Run("bench", "merge", sweep).ExitCode);
    }

    [Fact]
    public void TheKubernetesIndexedJobPassesItsCompletionsAsTheShardCountAndMergesWhereItWrote()
    {
        string deploy = Path.Combine(Occam.Tests.Data.TabularTests.RepositoryRoot(), "deploy", "kubernetes");
        string sweep = File.ReadAllText(Path.Combine(deploy, "sweep.yaml"));
        string merge = File.ReadAllText(Path.Combine(deploy, "merge.yaml"));

        Assert.Contains("completionMode: Indexed", sweep, StringComparison.Ordinal);
        string completions = Regex.Match(sweep, @"\bcompletions: (\d+)").Groups[1].Value;
        Assert.NotEmpty(completions);
        Assert.Equal(completions, Regex.Match(sweep, $@"name: {BenchShard.CountVariable}\s+value: ""(\d+)""").Groups[1].Value);
        string output = Regex.Match(sweep, @"--out, (\S+)\]").Groups[1].Value;
        Assert.StartsWith("/sweep/", output, StringComparison.Ordinal);
        Assert.Contains($"args: [bench, merge, {output}]", merge, StringComparison.Ordinal);
        Assert.Equal(Regex.Match(sweep, @"claimName: (\S+)").Groups[1].Value, Regex.Match(merge, @"claimName: (\S+)").Groups[1].Value);
    }

    /// <summary>
    /// Issue 22's real scheduler: deploy/slurm/occam.sbatch submitted to the one-node Slurm cluster that .ci/run starts
    /// (.ci/slurm-cluster), as an array job plus a merge job depending on it.
    /// </summary>
    [SlurmClusterFact]
    public void TheDeployedBatchScriptRunsTheSweepAsAnArrayAndItsMergeEqualsTheUnshardedRun()
    {
        string data = TwoSets();
        string sweep = Path.Combine(_dir, "sweep");
        string one = Path.Combine(_dir, "one");
        string[] grid = ["bench", "tabular", "--data", data, "--seeds", "2", "--methods", "occam,dense", "--epochs", "2"];
        string script = Path.Combine(Occam.Tests.Data.TabularTests.RepositoryRoot(), "deploy", "slurm", "occam.sbatch");
        string array = SubmitToSlurm(["--array=0-2", script, .. grid, "--out", sweep]);
        string merge = SubmitToSlurm([$"--dependency=afterok:{array}", script, "bench", "merge", sweep]);
        var unsharded = CliRunner.Run([.. grid, "--out", one]);

        string state = WaitForEnd(merge);

        Assert.True(state == "COMPLETED", $"the merge job ended {state}; job logs:\n{Logs()}");
        Assert.True(unsharded.ExitCode == 0, unsharded.Error);
        for (int task = 0; task < 3; task++)
        {
            Assert.Contains($"shard {task}/3 (SLURM_ARRAY_TASK_ID)", File.ReadAllText(Path.Combine(_dir, $"slurm-{array}_{task}.out")), StringComparison.Ordinal);
        }

        Assert.Equal(WithoutTimings(unsharded.Output), WithoutTimings(File.ReadAllText(Path.Combine(_dir, $"slurm-{merge}.out"))));
        foreach (string file in new[] { "tabular.jsonl", "tabular.md" })
        {
            Assert.Equal(WithoutTimings(File.ReadAllText(Path.Combine(one, file))), WithoutTimings(File.ReadAllText(Path.Combine(sweep, file))));
        }
    }

    /// <summary>Submits with sbatch from the test's directory (where the jobs' logs go), with the tool as the script's OCCAM; returns the job id.</summary>
    private string SubmitToSlurm(IEnumerable<string> args)
    {
        string occam = $"{Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet"} {Path.Combine(AppContext.BaseDirectory, "Occam.Cli.dll")}";
        string output = Slurm("sbatch", ["--parsable", $"--chdir={_dir}", .. args], ("OCCAM", occam));
        return output.Trim().Split(';')[0];
    }

    /// <summary>The job's final state, polling scontrol; a dependency that can no longer be met ends the wait too.</summary>
    private static string WaitForEnd(string job)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(8))
        {
            string line = Slurm("scontrol", ["show", "job", "-o", job]);
            string state = JobState().Match(line).Groups[1].Value;
            if (state is "COMPLETED" or "FAILED" or "CANCELLED" or "TIMEOUT" or "NODE_FAIL" or "OUT_OF_MEMORY" || line.Contains("Reason=DependencyNeverSatisfied", StringComparison.Ordinal))
            {
                return line.Contains("DependencyNeverSatisfied", StringComparison.Ordinal) ? "never started (an array task failed)" : state;
            }

            Thread.Sleep(500);
        }

        return "still running after 8 minutes";
    }

    private string Logs() =>
        string.Join('\n', Directory.GetFiles(_dir, "slurm-*.out").Order(StringComparer.Ordinal).Select(f => $"== {Path.GetFileName(f)}\n{File.ReadAllText(f)}"));

    /// <summary>Runs a Slurm client command against the test cluster; a failure fails the test with its stderr.</summary>
    private static string Slurm(string command, IEnumerable<string> args, params (string Name, string Value)[] environment)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["SLURM_CONF"] = SlurmClusterFactAttribute.Configuration;
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', info.ArgumentList)} failed: {error}");
        return output;
    }

    /// <summary>Reports with every training time replaced by "T": the only figures two runs of one sweep may differ in.</summary>
    internal static string WithoutTimings(string report) =>
        MarkdownSeconds().Replace(JsonSeconds().Replace(report, "\"seconds\":T"), "/ T |");

    /// <summary>Starts <c>occam</c> (the built CLI) with <paramref name="args"/> and extra environment variables, output redirected.</summary>
    internal static Process StartCli(IEnumerable<string> args, IEnumerable<(string Name, string Value)> environment)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Occam.Cli.dll"));
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return Process.Start(info)!;
    }

    /// <summary>iris and wine from data/tabular, in a directory of their own.</summary>
    private string TwoSets()
    {
        string data = Path.Combine(_dir, "data");
        Directory.CreateDirectory(data);
        foreach (string set in new[] { "wine.csv", "iris.csv" })
        {
            File.Copy(Path.Combine(Occam.Tests.Data.TabularTests.RepositoryRoot(), "data", "tabular", set), Path.Combine(data, set));
        }

        return data;
    }

    [GeneratedRegex("\"seconds\": ?[-0-9.eE+]+")]
    private static partial Regex JsonSeconds();

    [GeneratedRegex(@"/ [0-9.]+ \|")]
    private static partial Regex MarkdownSeconds();

    [GeneratedRegex(@"JobState=(\S+)")]
    private static partial Regex JobState();
}
