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
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f);
        }

        var reloaded = Model.Load(dir.File("m.safetensors"));
        Occam.Tests.Training.CheckpointTests.AssertSameParameters(model, reloaded.Network);
    }

    [Fact]
    public void ARegressionExportOutputsWhatPredictDoesInOriginalUnits()
    {
        using var dir = new TempDir();
        string csv = RegressionCliTests.WriteLine(dir.File("line.csv"), 200);
        string run = dir.File("run");
        var train = CliRunner.Run("train", "--data", "csv:" + csv, "--task", "regression", "--model", "mlp:8", "--epochs", "3",
            "--threads", "1", "--out", run);
        Assert.Equal(0, train.ExitCode);
        string rows = dir.File("new.csv");
        File.WriteAllText(rows, "x,colour\n-10,blue\n0,red\n7.5,blue\n20,red\n");
        var predict = CliRunner.Run("predict", run, "--input", rows);
        Assert.Equal(0, predict.ExitCode);
        double[] expected = [.. predict.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(line => double.Parse(line, System.Globalization.CultureInfo.InvariantCulture))];
        Assert.Equal(4, expected.Length);

        Assert.Equal(0, CliRunner.Run("export", run, "--onnx", dir.File("r.onnx")).ExitCode);
        var preprocessor = Model.Load(run).Preprocessor!;
        var features = preprocessor.TransformFeatures(CsvTable.Load(rows));
        using var session = new InferenceSession(dir.File("r.onnx"));
        var properties = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal("original units", properties["output"]);
        Assert.Equal(preprocessor.Target!.Mean, double.Parse(properties["target_mean"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(preprocessor.Target.Std, double.Parse(properties["target_std"], System.Globalization.CultureInfo.InvariantCulture));
        using var outputs = session.Run([NamedOnnxValue.CreateFromTensor("input",
            new DenseTensor<float>(features.Span.ToArray(), [features.Batch, preprocessor.FeatureCount]))]);
        float[] actual = [.. outputs.Single().AsTensor<float>()];
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            // The target's std is about 45 here: a standardised output would be off by far more than the tolerance.
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * Math.Max(1, Math.Abs(expected[i])), $"row {i}: predict {expected[i]}, ONNX {actual[i]}");
        }
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
