using System.Diagnostics;
using Occam.Data;
using Xunit.Abstractions;

namespace Occam.Tests.Data;

/// <summary>
/// Mutated files must load or fail with the format's one-line error (<see cref="DataFormatException"/> for data,
/// <see cref="InvalidDataException"/> for safetensors and checkpoints), never another exception, quickly.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    /// <summary>Mutated files tried per format.</summary>
    internal const int Mutations = 1000;

    internal static byte[] Mutate(byte[] valid, Random random)
    {
        byte[] bytes = (byte[])valid.Clone();
        switch (random.Next(4))
        {
            case 0:
                return bytes[..random.Next(bytes.Length)];
            case 1:
                for (int i = random.Next(1, 8); i > 0; i--)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return bytes;
            case 2:
                // Concentrate on the header, where sizes and magic numbers live.
                bytes[random.Next(Math.Min(16, bytes.Length))] = (byte)random.Next(256);
                return bytes;
            default:
                int at = random.Next(bytes.Length);
                return [.. bytes[..at], .. DataFixtures.RandomBytes(random.Next(1, 64), random.Next()), .. bytes[at..]];
        }
    }

    private int RunFuzz(byte[] valid, string fileName, Action<string> load, int seed) =>
        RunFuzz<DataFormatException>(valid, fileName, load, seed);

    /// <summary>Feeds <see cref="Mutations"/> mutants of <paramref name="valid"/> to <paramref name="load"/>; returns how many loaded.</summary>
    internal int RunFuzz<TError>(byte[] valid, string fileName, Action<string> load, int seed)
        where TError : Exception
    {
        using var dir = new TempDir();
        var random = new Random(seed);
        int loaded = 0;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Mutations; i++)
        {
            string path = dir.Write(fileName, Mutate(valid, random));
            try
            {
                load(path);
                loaded++;
            }
            catch (TError e)
            {
                Assert.DoesNotContain('\n', e.Message);
            }
        }

        output.WriteLine($"{fileName}: {Mutations} mutants, {loaded} loaded, {Mutations - loaded} rejected cleanly, {clock.Elapsed.TotalSeconds:F2} s");
        return loaded;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MutatedIdxFilesLoadOrFailCleanly(bool gzip)
    {
        byte[] images = DataFixtures.IdxImages(6, 8, 8);
        byte[] labels = DataFixtures.IdxLabels(6);
        if (gzip)
        {
            images = DataFixtures.Gzip(images);
            labels = DataFixtures.Gzip(labels);
        }

        RunFuzz(images, "images", path => IdxLoader.ReadImages(path), seed: gzip ? 11 : 1);
        RunFuzz(labels, "labels", path => IdxLoader.ReadLabels(path), seed: gzip ? 12 : 2);
    }

    [Fact]
    public void MutatedCsvFilesLoadOrFailCleanly()
    {
        byte[] csv = System.Text.Encoding.UTF8.GetBytes(
            "\uFEFFx,\"colour, shade\",y,class\r\n1.5,red,0.1,a\r\n,\"bl\"\"ue\",0.25,b\r\n3.25,,1e-3,a\r\n2,red,7,b\r\n0.5,\"gr\neen\",-2,c\r\n4,red,1,c\r\n");
        int loaded = RunFuzz(csv, "t.csv", path => TabularLoader.Load(path, new TabularOptions { TestFraction = 0.3 }), seed: 3);
        Assert.InRange(loaded, 1, Mutations - 1);
    }

    [Fact]
    public void MutatedCifarAndTextFilesLoadOrFailCleanly()
    {
        byte[] batch = DataFixtures.CifarBatch(2);
        RunFuzz(batch, "data_batch_1.bin", path => Cifar10Loader.LoadBatches([path]), seed: 4);
        byte[] text = DataFixtures.Gzip(System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("In the beginning.\n", 20))));
        RunFuzz(text, "t.txt.gz", path => TextCorpus.Load(path).TrainingWindows(4, 8, 0.1, 1), seed: 5);
    }
}
