using Occam.Layers;
using Occam.Models;
using static Occam.Tests.Layers.SparseLayerTests;

namespace Occam.Tests.Layers;

/// <summary>
/// Tests that change the calibration's process-wide settings (its cache folder, whether it is on, and the kernel thread
/// count, which keys it) run alone.
/// </summary>
[CollectionDefinition(nameof(KernelCalibrationCollection), DisableParallelization = true)]
public sealed class KernelCalibrationCollection;

[Collection(nameof(KernelCalibrationCollection))]
public sealed class KernelCalibrationTests : IDisposable
{
    private readonly string _previousDirectory = KernelCalibration.CacheDirectory;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"occam-calibration-{Guid.NewGuid():N}");

    public KernelCalibrationTests() => KernelCalibration.CacheDirectory = _directory;

    public void Dispose()
    {
        KernelCalibration.CacheDirectory = _previousDirectory;
        KernelCalibration.Enabled = true;
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(1.0, 0.3, 1.3, 0.36)]    // sparse time 0.05 + 2.5·d reaches 0.95 at d = 0.36
    [InlineData(1.0, 1.2, 2.0, 0.0)]     // slower even at 0.1, and the line never comes down to the target
    [InlineData(1.0, 0.1, 0.2, 1.0)]     // faster everywhere: clamped to 1
    [InlineData(1.0, 0.5, 0.4, 0.5)]     // noise made the denser pass faster: only what was measured counts
    [InlineData(1.0, 0.9, 0.8, 0.5)]
    [InlineData(1.0, 0.96, 0.9, 0.5)]
    [InlineData(1.0, 0.97, 0.96, 0.0)]   // within 5 % of dense is not faster
    public void TheCrossoverIsWhereTheFittedSparseTimeFallsTo95PercentOfDense(double dense, double low, double high, double expected) =>
        Assert.Equal(expected, KernelCalibration.Fit(dense, low, high), 6);

    [Fact]
    public void APrunedLayerIsTimedOnceAndTheResultIsCachedPerMachine()
    {
        var layer = new Dense(48);
        layer.Build([96], new Random(1));
        MaskRandomly(layer.Weight, 48, 96, 0.1, seed: 2);
        layer.Forward(RandomTensor(3, 20, 96), training: true);

        var entries = KernelCalibration.Entries;
        var (key, entry) = Assert.Single(entries, e => e.Key.StartsWith("dense 96 to 48", StringComparison.Ordinal));
        Assert.EndsWith("batch 32 training", key, StringComparison.Ordinal);
        Assert.InRange(entry.Crossover, 0, 1);
        Assert.True(entry.DenseMilliseconds > 0 && entry.SparseLowMilliseconds > 0 && entry.SparseHighMilliseconds > 0);
        Assert.Equal(KernelCalibration.Fit(entry.DenseMilliseconds, entry.SparseLowMilliseconds, entry.SparseHighMilliseconds), entry.Crossover, 9);
        double density = System.Numerics.Tensors.TensorPrimitives.Sum<float>(layer.Weight.Mask!.Span) / layer.Weight.Length;
        Assert.Equal(density <= entry.Crossover, layer.Weight.Sparse is not null);
        string file = KernelCalibration.CacheFile;
        Assert.True(File.Exists(file));
        Assert.Contains(KernelCalibration.MachineKey, File.ReadAllText(file), StringComparison.Ordinal);

        // A new process (here: the cache folder set again, which empties memory) reads the file instead of measuring.
        KernelCalibration.CacheDirectory = _directory;
        Assert.Equal(entry, KernelCalibration.Entries[key]);
        var twin = new Dense(48);
        twin.Build([96], new Random(1));
        MaskRandomly(twin.Weight, 48, 96, 0.1, seed: 2);
        twin.Forward(RandomTensor(3, 20, 96), training: true);
        Assert.Equal(entry, KernelCalibration.Entries[key]);

        KernelCalibration.Reset();
        Assert.False(File.Exists(file));
        Assert.Empty(KernelCalibration.Entries);
    }

    [Fact]
    public void ACorruptOrForeignCacheFileIsMeasuredAgain()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(KernelCalibration.CacheFile, "{ not json");
        Assert.Empty(KernelCalibration.Entries);
        File.WriteAllText(KernelCalibration.CacheFile, """{"machine": "another CPU", "entries": {"dense 1 to 1 batch 1 training": {"crossover": 1}}}""");
        KernelCalibration.CacheDirectory = _directory;
        Assert.Empty(KernelCalibration.Entries);
    }

    [Fact]
    public void UnprunedLayersAreNeverCalibratedAndRunDense()
    {
        var model = Sequential.Create([64], 1, new Dense(32), new ReLU(), new Dense(4));
        model.Forward(RandomTensor(1, 8, 64), training: true);
        model.Forward(RandomTensor(1, 8, 64), training: false);
        Assert.Empty(KernelCalibration.Entries);
        Assert.False(((Dense)model.Layers[0]).RanSparse);
    }

    [Fact]
    public void WithCalibrationOffAPrunedLayerRunsDenseUnlessForced()
    {
        KernelCalibration.Enabled = false;
        var layer = new Dense(64);
        layer.Build([128], new Random(1));
        MaskRandomly(layer.Weight, 64, 128, 0.02, seed: 3);
        var input = RandomTensor(4, 32, 128);
        layer.Forward(input, training: true);
        Assert.False(layer.RanSparse);
        layer.Forward(input, training: false);
        Assert.False(layer.RanSparse);
        Assert.Empty(KernelCalibration.Entries);

        layer.KernelPath = KernelPath.Sparse;
        layer.Forward(input, training: false);
        Assert.True(layer.RanSparse);
    }

    [Theory]
    [InlineData(0.5, false, false)]
    [InlineData(0.25, true, false)]
    [InlineData(0.1, true, true)]
    public void TheLayerRunsSparseBelowEachCrossover(double density, bool trainsSparse, bool infersSparse)
    {
        var dense = new Dense(50);
        dense.Build([80], new Random(1));
        MaskRandomly(dense.Weight, 50, 80, density, seed: 5);
        dense.Kernels.Pinned = (0.3, 0.2);
        var conv = new Conv2D(6, 3);
        conv.Build([2, 6, 6], new Random(1));
        MaskRandomly(conv.Weight, 6, 18, density, seed: 5);
        conv.Kernels.Pinned = (0.3, 0.2);

        dense.Forward(RandomTensor(6, 16, 80), training: true);
        conv.Forward(RandomTensor(6, 3, 2, 6, 6), training: true);
        Assert.Equal(trainsSparse, dense.RanSparse);
        Assert.Equal(trainsSparse, conv.RanSparse);
        dense.Forward(RandomTensor(7, 16, 80), training: false);
        conv.Forward(RandomTensor(7, 3, 2, 6, 6), training: false);
        Assert.Equal(infersSparse, dense.RanSparse);
        Assert.Equal(infersSparse, conv.RanSparse);
    }

    [Fact]
    public void ALoadedLayerThatNeverTrainedDecidesByTheInferenceCrossover()
    {
        var layer = new Dense(50);
        layer.Build([80], new Random(1));
        MaskRandomly(layer.Weight, 50, 80, 0.25, seed: 5);
        layer.Kernels.Pinned = (0.2, 0.3);
        layer.Forward(RandomTensor(6, 16, 80), training: false);
        Assert.True(layer.RanSparse);
        layer.Forward(RandomTensor(6, 16, 80), training: true);
        Assert.False(layer.RanSparse);
    }
}
