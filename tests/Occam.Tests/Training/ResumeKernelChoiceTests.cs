using System.Text.Json;
using System.Text.Json.Nodes;
using Occam.Data;
using Occam.Layers;
using Occam.Models;
using Occam.Pruning;
using Occam.Serialization;
using Occam.Tests.Data;
using Occam.Tests.Layers;
using Occam.Training;
using Occam.Training.Checkpoints;

namespace Occam.Tests.Training;

/// <summary>
/// A run's kernel choices are part of its state: a run calibrated to take the sparse kernels, stopped, and resumed in a
/// process whose calibration cache says dense (another load, another cache) still ends bit for bit as if it had never
/// stopped, because the checkpoint holds the crossovers the layers decided by. A checkpoint from before they were
/// recorded still resumes, deciding by the calibration of the resuming process.
/// </summary>
[Collection(nameof(KernelCalibrationCollection))]
public sealed class ResumeKernelChoiceTests : IDisposable
{
    private const int Epochs = 6;
    private static readonly Dataset Train = SyntheticClassification.Create(300, informative: 4, noise: 8, classes: 3, seed: 11);
    private static readonly Dataset Test = SyntheticClassification.Create(90, informative: 4, noise: 8, classes: 3, seed: 12);

    private readonly string _previousDirectory = KernelCalibration.CacheDirectory;
    private readonly TempDir _caches = new();

    public void Dispose()
    {
        KernelCalibration.CacheDirectory = _previousDirectory;
        _caches.Dispose();
    }

    [Fact]
    public void AResumeInAProcessCalibratedTheOtherWayEndsBitIdentical()
    {
        var (sparse, dense) = Calibrations();
        KernelCalibration.CacheDirectory = sparse;
        var whole = Model(1);
        var expected = new Trainer(Options(null)).Run(whole, Train, Test);
        using var dir = new TempDir();
        Interrupt(dir.Path);

        // The other calibration changes the result: without the recorded choices a resume would not be exact.
        KernelCalibration.CacheDirectory = dense;
        var other = Model(1);
        new Trainer(Options(null)).Run(other, Train, Test);
        Assert.False(SameWeights(whole, other), "the dense calibration trained the same weights as the sparse one");

        var resumed = Model(99);
        var actual = new Trainer(Options(null)).Resume(resumed, Train, Test, dir.Path);
        Assert.Equal(expected.Epochs.Count, actual.Epochs.Count);
        for (int i = 0; i < expected.Epochs.Count; i++)
        {
            Assert.Equal(expected.Epochs[i] with { TrainSeconds = 0 }, actual.Epochs[i] with { TrainSeconds = 0 });
        }

        CheckpointTests.AssertSameParameters(whole, resumed);
        var crossovers = PrunedCrossovers(resumed);
        Assert.NotEmpty(crossovers);
        Assert.All(crossovers, c => Assert.Equal(1.0, c));
    }

    [Fact]
    public void ACheckpointWithoutRecordedChoicesResumesByTheCurrentCalibration()
    {
        var (sparse, dense) = Calibrations();
        KernelCalibration.CacheDirectory = sparse;
        using var dir = new TempDir();
        Interrupt(dir.Path);
        int removed = 0;
        EditParameters(dir.Path, parameter => removed += parameter.Remove("kernel_crossovers") ? 1 : 0);
        Assert.True(removed > 0, "the checkpoint recorded no kernel crossovers");

        KernelCalibration.CacheDirectory = dense;
        var resumed = Model(99);
        new Trainer(Options(null)).Resume(resumed, Train, Test, dir.Path);
        var crossovers = PrunedCrossovers(resumed);
        Assert.NotEmpty(crossovers);
        Assert.All(crossovers, c => Assert.Equal(0.0, c));
    }

    [Theory]
    [InlineData("rows", "0")]
    [InlineData("crossover", "\"NaN\"")]
    public void ACheckpointWithAnOutOfRangeCrossoverIsRefused(string field, string json)
    {
        KernelCalibration.CacheDirectory = _caches.Path;
        using var dir = new TempDir();
        Interrupt(dir.Path);
        EditParameters(dir.Path, parameter =>
        {
            foreach (var crossover in parameter["kernel_crossovers"]?.AsArray() ?? [])
            {
                crossover![field] = JsonNode.Parse(json);
            }
        });
        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.ReadInfo(dir.Path));
        Assert.Matches(@"^checkpoint\.safetensors: a kernel crossover of '[^']+' is out of range\.$", error.Message);
    }

    private static void EditParameters(string directory, Action<JsonObject> edit)
    {
        string path = Checkpoint.PathIn(directory);
        var (tensors, metadata) = SafeTensors.Read(path);
        var state = JsonNode.Parse(metadata["state"])!.AsObject();
        foreach (var parameter in state["parameters"]!.AsArray())
        {
            edit(parameter!.AsObject());
        }

        metadata["state"] = state.ToJsonString();
        SafeTensors.Write(path, tensors, metadata);
    }

    private static Sequential Model(int seed) =>
        Sequential.Create([12], seed, new Dense(128), new ReLU(), new Dense(128), new ReLU(), new Dense(3));

    private static TrainerOptions Options(string? directory, IProgress<TrainingProgress>? progress = null) => new()
    {
        Epochs = Epochs,
        BatchSize = 32,
        Seed = 4,
        LearningRate = 1e-2f,
        Schedule = PruningMethods.Find("gmp").CreateSchedule(new PruningMethodOptions { InitialRate = 0.75, TargetDensity = 0.1 }),
        Method = "gmp",
        CheckpointDirectory = directory,
        Progress = progress,
    };

    /// <summary>Runs until the 5th step of epoch 3 (the layers pruned and running sparse) and stops there, as Ctrl-C does.</summary>
    private static void Interrupt(string directory)
    {
        using var stop = new CancellationTokenSource();
        var progress = new ExactResumeTests.Hook(p =>
        {
            if (p.Record is null && p.Epoch == 3 && p.Batch == 5)
            {
                stop.Cancel();
            }
        });
        Assert.Throws<OperationCanceledException>(() => new Trainer(Options(directory, progress)).Run(Model(1), Train, Test, stop.Token));
        Assert.Equal((2, 5), (Checkpoint.ReadInfo(directory).Epoch, Checkpoint.ReadInfo(directory).Step));
    }

    /// <summary>
    /// Two cache folders holding this machine's calibrations of the model's layers, one with crossover 1 (a pruned layer
    /// always runs sparse), one with crossover 0 (never).
    /// </summary>
    private (string Sparse, string Dense) Calibrations()
    {
        KernelCalibration.CacheDirectory = Path.Combine(_caches.Path, "measured");
        new Trainer(Options(null)).Run(Model(1), Train, Test);
        Assert.NotEmpty(KernelCalibration.Entries);

        // Layers that train sparse also look up their inference crossovers, which a run that trained dense never measured.
        Forced(KernelCalibration.Entries, 1.0);
        new Trainer(Options(null)).Run(Model(1), Train, Test);
        var entries = KernelCalibration.Entries;
        return (Forced(entries, 1.0), Forced(entries, 0.0));
    }

    private string Forced(IReadOnlyDictionary<string, CalibrationEntry> entries, double crossover)
    {
        string directory = Path.Combine(_caches.Path, $"crossover-{crossover}");
        KernelCalibration.CacheDirectory = directory;
        Directory.CreateDirectory(directory);
        var forced = entries.ToDictionary(e => e.Key, e => e.Value with { Crossover = crossover });
        File.WriteAllText(KernelCalibration.CacheFile, JsonSerializer.Serialize(new CalibrationFile(KernelCalibration.MachineKey, forced), CalibrationJsonContext.Default.CalibrationFile));
        return directory;
    }

    private static List<double> PrunedCrossovers(Sequential model) =>
        [.. model.Parameters.Where(p => p.Mask is not null).SelectMany(p => p.KernelCrossovers?.Values ?? Enumerable.Empty<double>())];

    private static bool SameWeights(Layer a, Layer b) =>
        a.Parameters.Zip(b.Parameters).All(pair => pair.First.Value.Span.SequenceEqual(pair.Second.Value.Span));
}
