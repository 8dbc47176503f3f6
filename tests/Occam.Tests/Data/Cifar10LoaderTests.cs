using Occam.Data;

namespace Occam.Tests.Data;

public class Cifar10LoaderTests
{
    [Fact]
    public void LoadsBatchesInChannelMajorOrder()
    {
        using var dir = new TempDir();
        dir.Write("data_batch_1.bin", DataFixtures.CifarBatch(3));
        dir.Write("data_batch_2.bin", DataFixtures.CifarBatch(2, firstLabel: 7));
        dir.Write("test_batch.bin", DataFixtures.CifarBatch(4));

        TrainTestData data = Cifar10Loader.Load(dir.Path);

        Assert.Equal([5, 3, 32, 32], data.Train.Features.Shape.ToArray());
        Assert.Equal([0, 1, 2, 7, 8], data.Train.Labels);
        Assert.Equal(4, data.Test.Count);
        Assert.Equal("truck", data.Train.ClassNames[9]);
        Assert.Equal(DataFixtures.Pixel(1, 1024 + 5) / 255f, data.Train.Features.Span[(1 * 3072) + 1024 + 5], 6);
        Assert.Equal([4, 3072], Cifar10Loader.Load(dir.Path, flatten: true).Test.Features.Shape.ToArray());
    }

    [Fact]
    public void FindsTheExtractedSubdirectory()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("cifar-10-batches-bin"));
        dir.Write("cifar-10-batches-bin/data_batch_1.bin", DataFixtures.CifarBatch(2));
        dir.Write("cifar-10-batches-bin/test_batch.bin", DataFixtures.CifarBatch(1));
        Assert.Equal(2, Cifar10Loader.Load(dir.Path).Train.Count);
    }

    [Fact]
    public void TruncatedBatchIsRejected()
    {
        using var dir = new TempDir();
        dir.Write("data_batch_1.bin", DataFixtures.CifarBatch(3)[..^10]);
        dir.Write("test_batch.bin", DataFixtures.CifarBatch(1));

        var e = Assert.Throws<DataFormatException>(() => Cifar10Loader.Load(dir.Path));
        Assert.Contains("data_batch_1.bin", e.Message, StringComparison.Ordinal);
        Assert.Contains("3073-byte records", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadLabelEmptyFileAndMissingFilesAreRejected()
    {
        using var dir = new TempDir();
        Assert.Contains("cifar-10-binary", Assert.Throws<DataFormatException>(() => Cifar10Loader.Load(dir.Path)).Message, StringComparison.Ordinal);

        byte[] batch = DataFixtures.CifarBatch(2);
        batch[Cifar10Loader.RecordBytes] = 200;
        dir.Write("data_batch_1.bin", batch);
        Assert.Contains("test_batch.bin", Assert.Throws<DataFormatException>(() => Cifar10Loader.Load(dir.Path)).Message, StringComparison.Ordinal);

        dir.Write("test_batch.bin", DataFixtures.CifarBatch(1));
        Assert.Contains("record 1", Assert.Throws<DataFormatException>(() => Cifar10Loader.Load(dir.Path)).Message, StringComparison.Ordinal);

        dir.Write("data_batch_1.bin", []);
        Assert.Contains("empty", Assert.Throws<DataFormatException>(() => Cifar10Loader.Load(dir.Path)).Message, StringComparison.Ordinal);
    }
}
