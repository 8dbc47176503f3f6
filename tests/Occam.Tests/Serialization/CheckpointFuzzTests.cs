using Occam.Layers;
using Occam.Models;
using Occam.Pruning;
using Occam.Serialization;
using Occam.Tests.Data;
using Occam.Tests.Training;
using Occam.Training;
using Occam.Training.Checkpoints;
using Xunit.Abstractions;

namespace Occam.Tests.Serialization;

/// <summary>Mutated model files and checkpoints load or fail with a one-line <see cref="InvalidDataException"/>.</summary>
public class CheckpointFuzzTests(ITestOutputHelper output)
{
    private static readonly Occam.Data.Dataset Data = SyntheticClassification.Create(60, informative: 2, noise: 2, classes: 2, seed: 3);

    private static Sequential Model() => Sequential.Create([4], 1, new Dense(5), new ReLU(), new Dropout(0.2f, seed: 2), new Dense(2));

    private static TrainerOptions Options(string directory) => new()
    {
        Epochs = 3,
        BatchSize = 8,
        Schedule = PruningMethods.Find("imp").CreateSchedule(new PruningMethodOptions { RoundEpochs = 2, RewindEpoch = 1 }),
        CheckpointDirectory = directory,
    };

    private static byte[] ValidCheckpoint()
    {
        using var dir = new TempDir();
        new Trainer(Options(dir.Path)).Run(Model(), Data);
        return File.ReadAllBytes(Checkpoint.PathIn(dir.Path));
    }

    [Fact]
    public void MutatedModelFilesLoadOrFailCleanly()
    {
        var model = Model();
        new PruningMasks(model.Parameters).Prune(new MagnitudeCriterion(), 0.5);
        using var dir = new TempDir();
        ModelWeights.Save(dir.File("m.safetensors"), model, new Dictionary<string, string> { ["model"] = "mlp:5" });
        byte[] valid = File.ReadAllBytes(dir.File("m.safetensors"));
        var target = Model();
        int loaded = new FuzzTests(output).RunFuzz<InvalidDataException>(valid, "model.safetensors", path => ModelWeights.Load(path, target), seed: 21);
        Assert.InRange(loaded, 1, FuzzTests.Mutations - 1);
    }

    [Fact]
    public void MutatedCheckpointsReadOrFailCleanly()
    {
        int loaded = new FuzzTests(output).RunFuzz<InvalidDataException>(ValidCheckpoint(), Checkpoint.FileName,
            path => Checkpoint.ReadInfo(Path.GetDirectoryName(path)!), seed: 22);
        Assert.InRange(loaded, 1, FuzzTests.Mutations - 1);
    }

    /// <summary>
    /// Keeps the file well-formed at the byte level (the header length is recomputed) but edits the JSON header:
    /// a number becomes an extreme one or disappears, an element is cut out, or a string is changed, to reach the semantic checks.
    /// </summary>
    private static byte[] MutateHeader(byte[] valid, Random random)
    {
        int length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(valid);
        string header = System.Text.Encoding.UTF8.GetString(valid, 8, length);
        var numbers = System.Text.RegularExpressions.Regex.Matches(header, "-?[0-9][0-9.eE+-]*");
        string[] extremes = ["-1", "0", "1", "2147483647", "2147483648", "-9223372036854775808", "1e300", "0.5", "NaN", "\"x\"", "[]", "{}", "null"];
        string mutated;
        switch (random.Next(4))
        {
            case 3 when numbers.Count > 0:
                // Drop one array element with its separator, e.g. data_offsets [0, 16] → [0].
                var dropped = numbers[random.Next(numbers.Count)];
                int from = dropped.Index > 0 && header[dropped.Index - 1] == ',' ? dropped.Index - 1 : dropped.Index;
                mutated = header.Remove(from, dropped.Index + dropped.Length - from);
                break;
            case 0 when numbers.Count > 0:
                var number = numbers[random.Next(numbers.Count)];
                mutated = string.Concat(header.AsSpan(0, number.Index), extremes[random.Next(extremes.Length)], header.AsSpan(number.Index + number.Length));
                break;
            case 1:
                int start = header.IndexOf(',', random.Next(header.Length));
                int end = start < 0 ? -1 : header.IndexOf(',', start + 1);
                mutated = end < 0 ? header[..(header.Length / 2)] : header.Remove(start, end - start);
                break;
            default:
                int quote = header.IndexOf('"', random.Next(header.Length));
                mutated = quote < 0 ? header : header.Insert(quote + 1, extremes[random.Next(extremes.Length)].Trim('"'));
                break;
        }

        byte[] json = System.Text.Encoding.UTF8.GetBytes(mutated);
        byte[] result = new byte[8 + json.Length + valid.Length - 8 - length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)json.Length);
        json.CopyTo(result, 8);
        valid.AsSpan(8 + length).CopyTo(result.AsSpan(8 + json.Length));
        return result;
    }

    private int FuzzHeaders(byte[] valid, string fileName, Action<string> load, int seed)
    {
        using var dir = new TempDir();
        var random = new Random(seed);
        int loaded = 0;
        for (int i = 0; i < FuzzTests.Mutations; i++)
        {
            string path = dir.Write(fileName, MutateHeader(valid, random));
            try
            {
                load(path);
                loaded++;
            }
            catch (InvalidDataException e)
            {
                Assert.DoesNotContain('\n', e.Message);
            }
        }

        output.WriteLine($"{fileName} (header edits): {FuzzTests.Mutations} mutants, {loaded} loaded, {FuzzTests.Mutations - loaded} rejected cleanly");
        return loaded;
    }

    [Fact]
    public void EditedHeadersOfModelFilesAndCheckpointsLoadOrFailCleanly()
    {
        var model = Model();
        using var dir = new TempDir();
        ModelWeights.Save(dir.File("m.safetensors"), model, new Dictionary<string, string> { ["model"] = "mlp:5" });
        var target = Model();
        FuzzHeaders(File.ReadAllBytes(dir.File("m.safetensors")), "model.safetensors", path => ModelWeights.Load(path, target), seed: 31);
        FuzzHeaders(ValidCheckpoint(), Checkpoint.FileName, path => Checkpoint.ReadInfo(Path.GetDirectoryName(path)!), seed: 32);
    }

    [Fact]
    public void MutatedCheckpointsResumeOrFailCleanly()
    {
        new FuzzTests(output).RunFuzz<InvalidDataException>(ValidCheckpoint(), Checkpoint.FileName, path =>
        {
            try
            {
                new Trainer(Options(Path.GetDirectoryName(path)!) with { Resume = true }).Run(Model(), Data);
            }
            catch (TrainingDivergedException)
            {
                // Finite but absurd weights may diverge on resuming: the guard's clean stop is a fine outcome too.
            }
        }, seed: 23);
    }
}
