using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Occam.Export;
using Occam.Layers;
using Occam.Models;
using Occam.Pruning;
using Occam.Tests.Data;

namespace Occam.Tests.Export;

/// <summary>Exported models run in ONNX Runtime and agree with the engine.</summary>
public class OnnxExportTests
{
    private const int Batch = 7;

    public static TheoryData<string> Models => ["mlp", "cnn"];

    private static Sequential Build(string kind) => kind switch
    {
        "mlp" => Sequential.Create([1, 8, 8], 3,
            new Flatten(), new Dense(32), new GELU(), new Dropout(0.3f, seed: 1), new Dense(16), new Tanh(), new Dense(16), new ReLU(), new Dense(10)),
        _ => Sequential.Create([1, 8, 8], 4,
            new Conv2D(4, 3), new ReLU(), new MaxPool2D(2), new Conv2D(6, 2, Padding.Valid), new GELU(), new Conv2D(5, 2, Padding.Same), new Tanh(),
            new Flatten(), new Dropout(0.2f, seed: 2), new Dense(10)),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void ExportedPrunedModelMatchesTheEngineInOnnxRuntime(string kind)
    {
        var model = Build(kind);
        var masks = new PruningMasks(model.Parameters);
        masks.Prune(new MagnitudeCriterion(), 0.6);
        var random = new Random(5);
        var input = new Occam.Tensors.Tensor(Batch, 1, 8, 8);
        foreach (ref float v in input.Span)
        {
            v = (float)(random.NextDouble() * 4 - 2);
        }

        float[] expected = model.Forward(input, training: false).Span.ToArray();
        using var dir = new TempDir();
        string path = dir.File("model.onnx");
        OnnxExporter.Export(model, [1, 8, 8], path);

        using var session = new InferenceSession(path);
        Assert.Equal("input", session.InputMetadata.Keys.Single());
        var tensor = new DenseTensor<float>(input.Span.ToArray(), [Batch, 1, 8, 8]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", tensor)]);
        var output = results.Single();
        Assert.Equal("output", output.Name);
        var actual = output.AsTensor<float>();
        Assert.Equal([Batch, 10], actual.Dimensions.ToArray());
        float[] values = [.. actual];
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - values[i]) <= 1e-4f, $"output {i}: engine {expected[i]}, ONNX Runtime {values[i]}");
        }
    }

    [Fact]
    public void DenseOverSequencesUsesMatMulAndMatches()
    {
        var model = Sequential.Create([3, 5], 6, new Dense(4), new ReLU(), new Dense(2, useBias: false));
        var input = new Occam.Tensors.Tensor(2, 3, 5);
        for (int i = 0; i < input.Length; i++)
        {
            input.Span[i] = MathF.Sin(i);
        }

        float[] expected = model.Forward(input, training: false).Span.ToArray();
        using var session = new InferenceSession(OnnxExporter.Encode(model, [3, 5]));
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(input.Span.ToArray(), [2, 3, 5]))]);
        float[] actual = [.. results.Single().AsTensor<float>()];
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f);
        }
    }

    [Fact]
    public void AtDensityOneTenthTheOnnxFileIsAtMostAQuarterOfTheDenseOneAndRunsTheSame()
    {
        var dense = Sequential.Create([784], 1, new Dense(256), new ReLU(), new Dense(10));
        var pruned = Sequential.Create([784], 1, new Dense(256), new ReLU(), new Dense(10));
        Serialization.CompactStorageTests.Prune(pruned, 0.1, seed: 8);
        byte[] denseFile = OnnxExporter.Encode(dense, [784]);
        byte[] prunedFile = OnnxExporter.Encode(pruned, [784]);
        Assert.True(prunedFile.Length <= denseFile.Length / 4, $"pruned {prunedFile.Length} B, dense {denseFile.Length} B");

        var input = new Occam.Tensors.Tensor(3, 784);
        for (int i = 0; i < input.Length; i++)
        {
            input.Span[i] = MathF.Cos(i * 0.37f);
        }

        float[] expected = pruned.Forward(input, training: false).Span.ToArray();
        using var session = new InferenceSession(prunedFile);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(input.Span.ToArray(), [3, 784]))]);
        float[] actual = [.. results.Single().AsTensor<float>()];
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f, $"output {i}: engine {expected[i]}, ONNX Runtime {actual[i]}");
        }
    }

    /// <summary>
    /// The graph's preprocessing is the preprocessor's: finite clipping bounds, a fill value that is not the centre, a
    /// missing indicator, an NA token, the missing category and an unseen one.
    /// </summary>
    [Fact]
    public void TheTabularGraphClipsImputesAndOneHotsAsThePreprocessor()
    {
        var preprocessor = new Occam.Data.TabularPreprocessor("y", ["no", "yes"],
        [
            new Occam.Data.TabularColumn
            {
                Name = "x", Kind = Occam.Data.ColumnKind.Numeric, MissingIndicator = true,
                Transform = new Occam.Data.NumericTransform(Fill: 2.5, Low: -1, High: 4, Center: 1, Scale: 2),
            },
            new Occam.Data.TabularColumn { Name = "c", Kind = Occam.Data.ColumnKind.Categorical, Categories = ["", "a", "b"] },
        ], naValues: ["NA"]);
        var model = Sequential.Create([preprocessor.FeatureCount], 3, new Dense(6), new Tanh(), new Dense(2));
        using var dir = new TempDir();
        var table = Occam.Data.CsvTable.Load(dir.Write("rows.csv", System.Text.Encoding.UTF8.GetBytes("x,c\n0.5,a\n,b\n-7,NA\n9,\nNA,zzz\n3.75,a\n")));
        var features = preprocessor.TransformFeatures(table);
        float[] logits = model.Forward(features, training: false).Span.ToArray();

        float[] x = [0.5f, float.NaN, -7f, 9f, float.NaN, 3.75f];
        string[] c = ["a", "b", "NA", "", "zzz", "a"];
        using var session = new InferenceSession(OnnxExporter.Encode(model, preprocessor));
        using var results = session.Run(
        [
            NamedOnnxValue.CreateFromTensor("x", new DenseTensor<float>(x, [x.Length, 1])),
            NamedOnnxValue.CreateFromTensor("c", new DenseTensor<string>(c, [c.Length, 1])),
        ]);
        var probabilities = results.Single(r => r.Name == "probabilities").AsTensor<float>();
        string[] labels = [.. results.Single(r => r.Name == "label").AsTensor<string>()];
        for (int r = 0; r < x.Length; r++)
        {
            float no = logits[2 * r], yes = logits[(2 * r) + 1];
            double pYes = 1 / (1 + Math.Exp(no - yes));
            Assert.True(Math.Abs(pYes - probabilities[r, 1]) <= 1e-6, $"row {r}: {pYes} vs {probabilities[r, 1]}");
            Assert.Equal(yes > no ? "yes" : "no", labels[r]);
        }
    }

    [Fact]
    public void AColumnNamedLikeAValueOfTheGraphIsRefused()
    {
        var preprocessor = new Occam.Data.TabularPreprocessor("y", ["a", "b"],
            [new Occam.Data.TabularColumn { Name = "probabilities", Kind = Occam.Data.ColumnKind.Numeric, Mean = 0, Std = 1 }]);
        var model = Sequential.Create([1], 1, new Dense(2));
        var error = Assert.Throws<NotSupportedException>(() => OnnxExporter.Encode(model, preprocessor));
        Assert.Contains("'probabilities'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedLayersAndWrongShapesAreRefused()
    {
        var attention = Sequential.Create([4], 1, new LayerNorm(), new Dense(2));
        var error = Assert.Throws<NotSupportedException>(() => OnnxExporter.Encode(attention, [4]));
        Assert.Contains("LayerNorm", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => OnnxExporter.Encode(Build("mlp"), [64]));
    }
}
