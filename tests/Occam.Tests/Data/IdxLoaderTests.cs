using System.Buffers.Binary;
using Occam.Data;

namespace Occam.Tests.Data;

public class IdxLoaderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LoadsRawAndGzipFiles(bool gzip)
    {
        using var dir = new TempDir();
        DataFixtures.WriteIdxSet(dir, gzip);

        TrainTestData data = IdxLoader.Load(dir.Path);

        Assert.Equal([12, 1, 28, 28], data.Train.Features.Shape.ToArray());
        Assert.Equal([5, 1, 28, 28], data.Test.Features.Shape.ToArray());
        Assert.Equal(10, data.Train.ClassCount);
        Assert.Equal([0, 1, 2, 3, 4], data.Test.Labels);
        Assert.Equal(DataFixtures.Pixel(3, 100) / 255f, data.Train.Features.Span[(3 * 784) + 100], 6);
        Assert.Equal(1f, data.Train.Features.Span.ToArray().Max());
        Assert.Equal(0f, data.Train.Features.Span.ToArray().Min());
    }

    [Fact]
    public void FlattenGivesRowsOfPixels()
    {
        using var dir = new TempDir();
        DataFixtures.WriteIdxSet(dir, gzip: false);

        TrainTestData flat = IdxLoader.Load(dir.Path, flatten: true, classNames: FashionMnist.ClassNames);
        TrainTestData images = IdxLoader.Load(dir.Path);

        Assert.Equal([12, 784], flat.Train.Features.Shape.ToArray());
        Assert.Equal(images.Train.Features.Span.ToArray(), flat.Train.Features.Span.ToArray());
        Assert.Equal("Ankle boot", flat.Train.ClassNames[9]);
        Dataset reshaped = images.Train.Reshape(784);
        Assert.Equal([12, 784], reshaped.Features.Shape.ToArray());
        Assert.Equal(flat.Train.Features.Span.ToArray(), reshaped.Features.Span.ToArray());
    }

    [Fact]
    public void MissingDirectorySaysHowToInstall()
    {
        var e = Assert.Throws<DataFormatException>(() => FashionMnist.Load("/nonexistent/fashion"));
        Assert.Contains("apt-get install -y dataset-fashion-mnist", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void MissingFileIsNamedWithTheHint()
    {
        using var dir = new TempDir();
        DataFixtures.WriteIdxSet(dir, gzip: true);
        File.Delete(dir.File(IdxLoader.TestLabelsFile + ".gz"));

        var e = Assert.Throws<DataFormatException>(() => FashionMnist.Load(dir.Path));
        Assert.Contains(IdxLoader.TestLabelsFile, e.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongMagicIsRejected()
    {
        using var dir = new TempDir();
        byte[] images = DataFixtures.IdxImages(3);
        BinaryPrimitives.WriteUInt32BigEndian(images, 0x00000801);
        string path = dir.Write("images", images);

        var e = Assert.Throws<DataFormatException>(() => IdxLoader.ReadImages(path));
        Assert.Contains("dimensions", e.Message, StringComparison.Ordinal);
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);

        images[0] = 0x50;
        dir.Write("images", images);
        Assert.Contains("magic", Assert.Throws<DataFormatException>(() => IdxLoader.ReadImages(path)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedDataIsRejected(bool gzip)
    {
        using var dir = new TempDir();
        byte[] images = DataFixtures.IdxImages(4)[..^100];
        string path = dir.Write("images", gzip ? DataFixtures.Gzip(images) : images);

        var e = Assert.Throws<DataFormatException>(() => IdxLoader.ReadImages(path));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedHeaderIsRejected()
    {
        using var dir = new TempDir();
        string path = dir.Write("labels", DataFixtures.IdxLabels(4)[..6]);
        Assert.Contains("truncated", Assert.Throws<DataFormatException>(() => IdxLoader.ReadLabels(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CountsThatDisagreeAreRejected()
    {
        using var dir = new TempDir();
        DataFixtures.WriteIdxSet(dir, gzip: false);
        dir.Write(IdxLoader.TrainLabelsFile, DataFixtures.IdxLabels(11));

        var e = Assert.Throws<DataFormatException>(() => IdxLoader.Load(dir.Path));
        Assert.Contains("12 images", e.Message, StringComparison.Ordinal);
        Assert.Contains("11 labels", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void HeaderClaimingMoreThanTheFileHoldsIsRejectedWithoutAllocatingIt(bool gzip)
    {
        using var dir = new TempDir();
        byte[] images = DataFixtures.IdxImages(2, claimedCount: int.MaxValue);
        string path = dir.Write("images", gzip ? DataFixtures.Gzip(images) : images);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DataFormatException>(() => IdxLoader.ReadImages(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("claims", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < 10_000_000, $"allocated {allocated} bytes");
    }

    [Fact]
    public void HugeDimensionsAreRejected()
    {
        using var dir = new TempDir();
        byte[] labels = DataFixtures.IdxLabels(3);
        BinaryPrimitives.WriteUInt32BigEndian(labels.AsSpan(4), 0xFFFFFFFF);
        string path = dir.Write("labels", labels);
        Assert.Contains("claims", Assert.Throws<DataFormatException>(() => IdxLoader.ReadLabels(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrailingBytesAreRejected()
    {
        using var dir = new TempDir();
        string path = dir.Write("labels", [.. DataFixtures.IdxLabels(3), 1, 2]);
        Assert.Contains("trailing", Assert.Throws<DataFormatException>(() => IdxLoader.ReadLabels(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelOutOfRangeIsRejected()
    {
        using var dir = new TempDir();
        byte[] labels = DataFixtures.IdxLabels(3);
        labels[9] = 10;
        string path = dir.Write("labels", labels);
        Assert.Contains("item 1", Assert.Throws<DataFormatException>(() => IdxLoader.ReadLabels(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyAndRandomFilesAreRejected()
    {
        using var dir = new TempDir();
        string empty = dir.Write("empty", []);
        Assert.Contains("empty", Assert.Throws<DataFormatException>(() => IdxLoader.ReadImages(empty)).Message, StringComparison.Ordinal);

        for (int seed = 0; seed < 20; seed++)
        {
            string random = dir.Write("random", DataFixtures.RandomBytes(3000, seed));
            Assert.Throws<DataFormatException>(() => IdxLoader.ReadImages(random));
        }

        string corruptGzip = dir.Write("corrupt.gz", [0x1f, 0x8b, .. DataFixtures.RandomBytes(500, 1)]);
        Assert.Throws<DataFormatException>(() => IdxLoader.ReadLabels(corruptGzip));
    }

    [Fact]
    public void TrainAndTestImageSizesMustAgree()
    {
        using var dir = new TempDir();
        DataFixtures.WriteIdxSet(dir, gzip: false);
        dir.Write(IdxLoader.TestImagesFile, DataFixtures.IdxImages(5, 8, 8));
        Assert.Contains("test images", Assert.Throws<DataFormatException>(() => IdxLoader.Load(dir.Path)).Message, StringComparison.Ordinal);
    }
}
