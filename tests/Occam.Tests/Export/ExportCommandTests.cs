using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Occam.Cli.Engine;
using Occam.Cli.Specs;
using Occam.Data;
using Occam.Pruning;
using Occam.Serialization;
using Occam.Tests.Cli;
using Occam.Tests.Data;

namespace Occam.Tests.Export;

public class ExportCommandTests
{
    private static Occam.Layers.Layer SaveRun(TempDir dir)
    {
        var spec = new MlpSpec([16, 12]);
        int[] shape = [8, 8];
        var model = ModelFactory.Build(spec, shape, classes: 10, seed: 4, dropout: 0.1);
        new PruningMasks(model.Parameters).Prune(new MagnitudeCriterion(), 0.5);
        new Model(model, [.. Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            metadata: ModelFactory.RunMetadata(spec, DataSpecParser.Parse("digits"), seed: 4, dropout: 0.1, method: "occam"))
            .Save(dir.File(Model.FileName));
        return model;
    }

    [Fact]
    public void ExportsTheRunsModelAsOnnxAndSafetensors()
    {
        using var dir = new TempDir();
        var model = SaveRun(dir);
        var result = CliRunner.Run("export", dir.Path, "--onnx", dir.File("m.onnx"), "--safetensors", dir.File("m.safetensors"));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("onnx written to", result.Output, StringComparison.Ordinal);

        var input = new Occam.Tensors.Tensor(3, 8, 8);
        for (int i = 0; i < input.Length; i++)
        {
            input.Span[i] = MathF.Cos(i * 0.37f);
        }

        float[] expected = model.Forward(input, training: false).Span.ToArray();
        using var session = new InferenceSession(dir.File("m.onnx"));
        Assert.Equal("logits", session.ModelMetadata.CustomMetadataMap["output"]);
        using var outputs = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(input.Span.ToArray(), [3, 8, 8]))]);
        float[] actual = [.. outputs.Single().AsTensor<float>()];
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f, $"{i}: {expected[i]} vs {actual[i]}");
        }

        var reloaded = Model.Load(dir.File("m.safetensors"));
        Occam.Tests.Training.CheckpointTests.AssertSameParameters(model, reloaded.Network);
    }

    /// <summary>
    /// A CSV model exported with its preprocessing takes the raw columns and gives what <c>occam predict</c> gives for
    /// the same rows, including missing numeric and categorical cells, an NA token, an unseen category and values far
    /// outside the training range.
    /// </summary>
    [Theory]
    [InlineData("classification")]
    [InlineData("regression")]
    public void ATabularExportRunsRawRowsAsPredictDoes(string task)
    {
        using var dir = new TempDir();
        string csv = WriteMixed(dir.File("train.csv"), task == "regression");
        string run = dir.File("run");
        var train = CliRunner.Run("train", "--data", "csv:" + csv, "--task", task, "--na-values", "?", "--model", "mlp:16", "--method", "occam",
            "--epochs", "4", "--threads", "1", "--out", run);
        Assert.Equal(0, train.ExitCode);

        // The run summary gives the model file's size: in summary.json and in the end-of-run message.
        long modelBytes = new FileInfo(Path.Combine(run, Model.FileName)).Length;
        using (var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json"))))
        {
            Assert.Equal(modelBytes, summary.RootElement.GetProperty("model_file_bytes").GetInt64());
        }

        Assert.Contains($"model: {modelBytes:N0} bytes)", train.Output, StringComparison.Ordinal);
        string rows = dir.Write("new.csv", System.Text.Encoding.UTF8.GetBytes(
            "size,weight,shape,colour\n1.5,3,round,red\n,2,square,blue\n0.2,?,,green\n900,-400,hexagon,red\n-3,1,round,purple\n2.25,,?,\n"));
        var predict = CliRunner.Run("predict", run, "--input", rows, "--output", dir.File("predicted.csv"));
        Assert.Equal(0, predict.ExitCode);
        var expected = CsvTable.Load(dir.File("predicted.csv"));

        var export = CliRunner.Run("export", run, "--onnx", dir.File("m.onnx"));
        Assert.Equal(0, export.ExitCode);
        Assert.Contains($"onnx written to {dir.File("m.onnx")} ({new FileInfo(dir.File("m.onnx")).Length:N0} bytes)", export.Output, StringComparison.Ordinal);
        using var session = new InferenceSession(dir.File("m.onnx"));
        Assert.Equal(["size", "weight", "shape", "colour"], session.InputMetadata.Keys.ToArray());
        using var outputs = session.Run(RawInputs(CsvTable.Load(rows), ["size", "weight"], ["shape", "colour"]));
        if (task == "regression")
        {
            float[] actual = [.. outputs.Single(o => o.Name == "prediction").AsTensor<float>()];
            Assert.Equal(expected.RowCount, actual.Length);
            for (int r = 0; r < actual.Length; r++)
            {
                double want = double.Parse(expected.Cell(r, 0), System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(want - actual[r]) <= 1e-5 * Math.Max(1, Math.Abs(want)), $"row {r}: predict {want}, ONNX {actual[r]}");
            }

            return;
        }

        var probabilities = outputs.Single(o => o.Name == "probabilities").AsTensor<float>();
        string[] labels = [.. outputs.Single(o => o.Name == "label").AsTensor<string>()];
        Assert.Equal(expected.RowCount, labels.Length);
        for (int r = 0; r < labels.Length; r++)
        {
            for (int c = 0; c < expected.ColumnCount - 1; c++)
            {
                double want = double.Parse(expected.Cell(r, c), System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(want - probabilities[r, c]) <= 1e-5, $"row {r}, class {expected.Header[c]}: predict {want}, ONNX {probabilities[r, c]}");
            }

            Assert.Equal(expected.Cell(r, expected.ColumnCount - 1), labels[r]);
        }
    }

    /// <summary>Numeric size and weight (some missing, some '?'), categorical shape and colour (some missing), a label that depends on all four.</summary>
    private static string WriteMixed(string path, bool regression)
    {
        var random = new Random(11);
        string[] shapes = ["round", "square", "oval"];
        string[] colours = ["red", "blue", "green"];
        using var writer = new StreamWriter(path);
        writer.WriteLine("size,weight,shape,colour,y");
        for (int i = 0; i < 300; i++)
        {
            double size = 4 * random.NextDouble();
            double weight = 10 * random.NextDouble() - 5;
            int shape = random.Next(3);
            int colour = random.Next(3);
            double score = size + (0.3 * weight) + shape - colour;
            string y = regression
                ? (100 * score + 50).ToString("F2", System.Globalization.CultureInfo.InvariantCulture)
                : score > 2 ? "high" : score > 0.5 ? "mid" : "low";
            string sizeCell = i % 17 == 0 ? "" : size.ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
            string weightCell = i % 23 == 0 ? "?" : weight.ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
            string colourCell = i % 19 == 0 ? "" : colours[colour];
            writer.WriteLine($"{sizeCell},{weightCell},{shapes[shape]},{colourCell},{y}");
        }

        return path;
    }

    /// <summary>The rows as the exported graph takes them: numeric cells as float [n, 1] (NaN when missing or '?'), categorical cells as trimmed strings.</summary>
    private static List<NamedOnnxValue> RawInputs(CsvTable table, string[] numeric, string[] categorical)
    {
        var inputs = new List<NamedOnnxValue>();
        foreach (string name in table.Header)
        {
            int column = table.ColumnIndex(name);
            if (numeric.Contains(name))
            {
                var values = new float[table.RowCount];
                for (int r = 0; r < values.Length; r++)
                {
                    string cell = table.Cell(r, column).Trim();
                    values[r] = cell is "" or "?" ? float.NaN : (float)double.Parse(cell, System.Globalization.CultureInfo.InvariantCulture);
                }

                inputs.Add(NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(values, [values.Length, 1])));
            }
            else if (categorical.Contains(name))
            {
                string[] values = [.. Enumerable.Range(0, table.RowCount).Select(r => table.Cell(r, column).Trim())];
                inputs.Add(NamedOnnxValue.CreateFromTensor(name, new DenseTensor<string>(values, [values.Length, 1])));
            }
        }

        return inputs;
    }

    [Fact]
    public void ExportProblemsAreOneLineUsageErrors()
    {
        using var dir = new TempDir();
        SaveRun(dir);
        CliRunner.AssertUsageError(CliRunner.Run("export", dir.Path), "nothing to export");
        CliRunner.AssertUsageError(CliRunner.Run("export", dir.Path, "--onnx", dir.Path), "is a directory");
        File.WriteAllBytes(dir.File(Model.FileName), [1, 2, 3]);
        CliRunner.AssertUsageError(CliRunner.Run("export", dir.Path, "--onnx", dir.File("m.onnx")), "model.safetensors");
        Assert.False(File.Exists(dir.File("m.onnx")));
    }
}
