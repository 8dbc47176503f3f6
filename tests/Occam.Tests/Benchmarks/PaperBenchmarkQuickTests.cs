using System.Text.Json;
using Occam.Benchmarks;
using Occam.Tests.Cli;
using Occam.Tests.Data;

namespace Occam.Tests.Benchmarks;

/// <summary>Runs <c>occam bench paper --quick</c> for real (in-process CLI, library engine) and checks its report.</summary>
public sealed class PaperBenchmarkQuickTests : IDisposable
{
    private static readonly string[] NetworkMethods = ["occam", "dense", "posthoc", "posthoc-finetune", "gmp"];

    private static readonly string[] PrunedToOccamsDensity = ["posthoc", "posthoc-finetune", "gmp"];

    private readonly string _dir = Directory.CreateTempSubdirectory("occam-paper").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void OneExperimentOverTwoSeedsReportsTheMeansOfItsPerSeedLines()
    {
        string root = TabularTests.RepositoryRoot();
        string output = Path.Combine(_dir, "mlp");

        var result = CliRunner.Run("bench", "paper", "--quick", "--only", "mlp", "--seeds", "1,2", "--json", "--out", output,
            "--fashion-mnist", Path.Combine(root, "data", "fashion-mnist-sample"));

        Assert.True(result.ExitCode == 0, result.Error);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(lines, l => Assert.Equal("mlp", l.GetProperty("experiment").GetString()));
        Assert.Equal([1, 2], lines.Select(l => l.GetProperty("seed").GetInt32()).Distinct());
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json")));
        var experiment = Assert.Single(json.RootElement.GetProperty("experiments").EnumerateArray());
        foreach (var row in experiment.GetProperty("methods").EnumerateArray())
        {
            string method = row.GetProperty("method").GetString()!;
            double[] losses = [.. lines.Where(l => l.GetProperty("method").GetString() == method).Select(l => l.GetProperty("test_loss").GetDouble())];
            Assert.Equal(2, losses.Length);
            Assert.Equal(losses.Average(), row.GetProperty("test_loss").GetDouble(), 5);
            Assert.Equal(Math.Abs(losses[0] - losses[1]) / Math.Sqrt(2), row.GetProperty("test_loss_sd").GetDouble(), 5);
        }

        foreach (string seed in new[] { "seed1", "seed2" })
        {
            Assert.True(File.Exists(Path.Combine(output, "mlp", seed, "loss.png")), seed);
            Assert.True(Directory.Exists(Path.Combine(output, "mlp", seed, "occam")), seed);
        }
    }

    [Fact]
    public void TheQuickRunReportsAllFourExperimentsWithFiniteFigures()
    {
        // The shipped sample holds exactly the images a quick run takes (the first 4 000 and 1 000 of Fashion-MNIST).
        string root = TabularTests.RepositoryRoot();
        string output = Path.Combine(_dir, "paper");

        var result = CliRunner.Run("bench", "paper", "--quick", "--out", output,
            "--fashion-mnist", Path.Combine(root, "data", "fashion-mnist-sample"),
            "--tabular", Path.Combine(root, "data", "tabular"), "--text", Path.Combine(root, "data", "text", "kjv.txt.gz"));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("report written to", result.Output, StringComparison.Ordinal);
        string report = File.ReadAllText(Path.Combine(output, "report.md"));
        foreach (string heading in new[] { "## 1. Dense reference model", "## 2. CNN", "## 3. Tabular suite", "## 4. Character-level GPT" })
        {
            Assert.Contains(heading, report, StringComparison.Ordinal);
        }

        Assert.Contains("occam bench paper --quick --out", report, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", report, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json")));
        var root0 = json.RootElement;
        Assert.True(root0.GetProperty("quick").GetBoolean());
        Assert.Equal(Environment.ProcessorCount, root0.GetProperty("cores").GetInt32());
        var experiments = root0.GetProperty("experiments").EnumerateArray().ToList();
        Assert.Equal(["mlp", "cnn", "tabular", "gpt"], experiments.Select(e => e.GetProperty("name").GetString()));
        foreach (var experiment in experiments)
        {
            string name = experiment.GetProperty("name").GetString()!;
            Assert.StartsWith("Occam", experiment.GetProperty("where_occam_loses").GetString(), StringComparison.Ordinal);
            var methods = experiment.GetProperty("methods").EnumerateArray().ToDictionary(m => m.GetProperty("method").GetString()!);
            Assert.Subset(methods.Keys.ToHashSet(), NetworkMethods.ToHashSet());
            foreach (var (method, row) in methods)
            {
                double loss = row.GetProperty("test_loss").GetDouble();
                double accuracy = row.GetProperty("test_accuracy").GetDouble();
                double density = row.GetProperty("density").GetDouble();
                Assert.True(double.IsFinite(loss) && loss > 0, $"{name}/{method}: test loss {loss}");
                Assert.InRange(accuracy, 0.0, 1.0);
                Assert.InRange(density, 1e-6, 1.0);
                Assert.True(row.GetProperty("train_seconds").GetDouble() >= 0);
                Assert.True(row.GetProperty("selected_epoch").GetDouble() >= 0);
            }

            AssertSameAsDenseRowsAreTheDenseRun(name, methods, report);
            if (name == "tabular")
            {
                Assert.Empty(experiment.GetProperty("plots").EnumerateArray());
                var sets = experiment.GetProperty("datasets").EnumerateArray().ToList();
                Assert.Equal(["glass", "iris", "wine"], sets.Select(s => s.GetProperty("dataset").GetString()));
                Assert.All(sets, s => Assert.True(double.IsFinite(s.GetProperty("gmp").GetProperty("logloss").GetDouble())));
                foreach (var set in sets)
                {
                    // One seed per set in quick mode: each pruning method's cell is the dense run's exactly when Occam kept every weight.
                    bool keptAll = set.GetProperty("occam").GetProperty("density").GetDouble() == 1;
                    foreach (string method in PrunedToOccamsDensity)
                    {
                        var cell = set.GetProperty(method.Replace('-', '_'));
                        Assert.Equal(keptAll ? 1 : 0, cell.GetProperty("same_as_dense").GetDouble());
                        if (keptAll)
                        {
                            Assert.Equal(set.GetProperty("dense").GetProperty("logloss").GetDouble(), cell.GetProperty("logloss").GetDouble());
                        }
                    }
                }

                continue;
            }

            foreach (var plot in experiment.GetProperty("plots").EnumerateArray())
            {
                byte[] png = File.ReadAllBytes(Path.Combine(output, plot.GetString()!));
                Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
                Assert.Contains($"]({plot.GetString()})", report, StringComparison.Ordinal);
            }

            foreach (var (method, row) in methods)
            {
                // A method reusing the dense run was not run, so it has no run record of its own.
                bool ran = row.GetProperty("same_as_dense").GetDouble() == 0;
                string folder = PaperMethod.Parse(method).Folder;
                Assert.True(ran == File.Exists(Path.Combine(output, name, folder, "summary.json")), $"{name}/{method}: run record present is not {ran}");
            }

            AssertDenseCurveIsTheDenseRun(name, experiment, methods["dense"], report);
        }

        // The GPT also runs the paper's rule and both Occam rules on a step cadence, each its own row after its method.
        var gpt = experiments[3].GetProperty("methods").EnumerateArray().Select(m => m.GetProperty("method").GetString()).ToList();
        Assert.Equal(["occam", "occam/10", "occam-paper", "occam-paper/10", "dense"], gpt.Take(5));
        Assert.Contains("| occam-paper/10 |", report, StringComparison.Ordinal);
        var decisions = File.ReadAllLines(Path.Combine(output, "gpt", "occam-every10", "epochs.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement).Where(r => r.GetProperty("stage").GetString() == "decision").ToList();
        Assert.Equal([10L, 20L, 30L, 40L], decisions.Select(r => r.GetProperty("step").GetInt64()));

        Assert.Contains("occam-paper", experiments[0].GetProperty("methods").EnumerateArray().Select(m => m.GetProperty("method").GetString()));

        // The quick budgets prune the MLP but leave the CNN and the GPT dense: both paths are exercised.
        Assert.Equal([false, true, true], experiments.Where(e => e.GetProperty("name").GetString() != "tabular")
            .Select(e => e.GetProperty("methods").EnumerateArray().Single(m => m.GetProperty("method").GetString() == "gmp").GetProperty("same_as_dense").GetDouble() == 1));
    }

    /// <summary>
    /// A network experiment's dense curve has one point per epoch of the dense run, its held-out minimum at the dense
    /// row's selected epoch (selection by held-out loss), and the report shows it; the tabular suite has none.
    /// </summary>
    private static void AssertDenseCurveIsTheDenseRun(string experiment, JsonElement result, JsonElement dense, string report)
    {
        var curve = result.GetProperty("dense_curve");
        var epochs = curve.GetProperty("epochs").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, epochs.Count), epochs.Select(e => e.GetProperty("epoch").GetInt32()));
        var lowest = epochs.MinBy(e => e.GetProperty("holdout_loss").GetDouble());
        Assert.Equal(dense.GetProperty("selected_epoch").GetDouble(), lowest.GetProperty("epoch").GetInt32());
        Assert.Equal(lowest.GetProperty("epoch").GetInt32(), curve.GetProperty("holdout_minimum_epoch").GetInt32());
        Assert.Equal(dense.GetProperty("test_loss").GetDouble(), lowest.GetProperty("test_loss").GetDouble(), 5);
        Assert.True(epochs[^1].GetProperty("train_loss").GetDouble() < epochs[0].GetProperty("train_loss").GetDouble(), $"{experiment}: training loss did not fall");
        Assert.Contains($"held-out loss is lowest at epoch {lowest.GetProperty("epoch").GetInt32()} of {epochs.Count}", report, StringComparison.Ordinal);
    }

    /// <summary>
    /// The methods pruning to Occam's density reuse the dense run, labelled, exactly when Occam kept every weight
    /// (a network experiment's or, in quick mode's one seed per set, every tabular run's).
    /// </summary>
    private static void AssertSameAsDenseRowsAreTheDenseRun(string experiment, Dictionary<string, JsonElement> methods, string report)
    {
        bool keptAll = methods["occam"].GetProperty("density").GetDouble() == 1;
        var dense = methods["dense"];
        foreach (string method in PrunedToOccamsDensity)
        {
            var row = methods[method];
            double share = row.GetProperty("same_as_dense").GetDouble();
            Assert.Equal(share > 0, row.TryGetProperty("note", out _));
            if (!keptAll)
            {
                // Tabular rows average over sets and seeds, some of which may have kept every weight.
                Assert.True(share < 1, $"{experiment}/{method}: reused the dense run although Occam pruned");
                continue;
            }

            Assert.Equal(1, share);

            Assert.Equal("same as dense: Occam kept every weight", row.GetProperty("note").GetString());
            foreach (string figure in new[] { "selected_epoch", "test_loss", "test_accuracy", "density", "nonzero_params", "train_seconds" })
            {
                Assert.True(dense.GetProperty(figure).GetDouble() == row.GetProperty(figure).GetDouble(), $"{experiment}/{method}: {figure} differs from dense's");
            }

            Assert.Contains($"| {method} (same as dense: Occam kept every weight) |", report, StringComparison.Ordinal);
        }
    }
}
