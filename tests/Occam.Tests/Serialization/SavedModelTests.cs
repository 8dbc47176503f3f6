using System.Globalization;
using Occam.Data;
using Occam.Layers;
using Occam.Models;
using Occam.Pruning;
using Occam.Serialization;
using Occam.Tests.Cli;
using Occam.Tests.Data;
using Occam.Tests.Training;
using Occam.Training;

namespace Occam.Tests.Serialization;

public sealed class SavedModelTests
{
    private static string Iris => Path.Combine(TabularTests.RepositoryRoot(), "data", "tabular", "iris.csv");

    private static string EarlierRun(string name) => Path.Combine(RunSummaryReadTests.EarlierRuns, name);

    /// <summary>A model trained in a program, as samples/CsvTrainPredict trains it: the library's loader, a Sequential, the Trainer.</summary>
    private static (Model Model, TabularData Data) TrainInAProgram()
    {
        var data = TabularLoader.Load(Iris);
        var network = Sequential.Create(data.Train.ExampleShape, seed: 3, new Dense(12), new ReLU(), new Dropout(0.1f, seed: 5), new Dense(data.Train.ClassCount));
        new Trainer(new TrainerOptions { Epochs = 4, LearningRate = 1e-2f }).Run(network, data.Train, data.Test);
        return (new Model(network, data.Train.ClassNames, data.Preprocessor, new Dictionary<string, string> { ["note"] = "mine" }), data);
    }

    [Fact]
    public void ASavedModelLoadsWithItsWeightsMasksClassesPreprocessingAndMetadata()
    {
        using var dir = new TempDir();
        var (model, data) = TrainInAProgram();
        new PruningMasks(model.Network.Parameters).Prune(new MagnitudeCriterion(), 0.5);
        model.Save(dir.File("m.safetensors"));

        var loaded = Model.Load(dir.File("m.safetensors"));
        CheckpointTests.AssertSameParameters(model.Network, loaded.Network);
        Assert.Contains(loaded.Network.Parameters, p => p.Mask is not null);
        Assert.Equal(model.ClassNames, loaded.ClassNames);
        Assert.Equal(model.InputShape, loaded.InputShape);
        Assert.Equal(model.Preprocessor!.ToJson(), loaded.Preprocessor!.ToJson());
        Assert.Equal("mine", loaded.Metadata["note"]);
        Assert.DoesNotContain("architecture", loaded.Metadata.Keys);

        var features = data.Preprocessor.TransformFeatures(data.Table, data.TestRows);
        Assert.Equal(model.Predict(features), loaded.Predict(features));
    }

    [Fact]
    public void ACnnAndAGptRebuildFromTheirSavedArchitecture()
    {
        using var dir = new TempDir();
        var cnn = ReferenceModels.Cnn([1, 20, 20], channels: 4, classes: 3, seed: 2);
        new Model(cnn, ["a", "b", "c"]).Save(dir.File("cnn.safetensors"));
        CheckpointTests.AssertSameParameters(cnn, Model.Load(dir.File("cnn.safetensors")).Network);

        var gpt = Gpt.Create(vocabularySize: 11, contextLength: 8, layers: 1, heads: 2, embeddingDim: 8, seed: 2);
        new Model(gpt, [.. Enumerable.Range(0, 11).Select(i => i.ToString(CultureInfo.InvariantCulture))]).Save(dir.File("gpt.safetensors"));
        var loaded = Assert.IsType<Gpt>(Model.Load(dir.File("gpt.safetensors")).Network);
        Assert.Equal((8, 2, 8), (loaded.ContextLength, loaded.Heads, loaded.EmbeddingDim));
        CheckpointTests.AssertSameParameters(gpt, loaded);
    }

    [Fact]
    public void ALayerWithoutASavedFormIsRefusedAndNothingIsWritten()
    {
        using var dir = new TempDir();
        var network = Sequential.Create([4], seed: 1, new Dense(3), new Identity());
        var e = Assert.Throws<NotSupportedException>(() => new Model(network, ["x"]).Save(dir.File("m.safetensors")));
        Assert.Contains("Identity", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Theory]
    [InlineData("iris", "iris.csv")]
    [InlineData("servo", "servo.csv")]
    public void ModelsSavedByTheEarlierCommandLineLoadAndPredictAsThen(string run, string csv)
    {
        string rows = Path.Combine(TabularTests.RepositoryRoot(), "data", run == "iris" ? "tabular" : "regression", csv);
        var model = Model.Load(EarlierRun(run));
        Assert.Equal("occam", model.Metadata["method"]);
        float[][] outputs = model.Predict(model.Preprocessor!.TransformFeatures(CsvTable.Load(rows)));

        string[] expected = File.ReadAllLines(Path.Combine(EarlierRun(run), "predictions.csv"));
        Assert.Equal(expected.Length - 1, outputs.Length);
        for (int r = 0; r < outputs.Length; r++)
        {
            string[] cells = expected[r + 1].Split(',');
            for (int c = 0; c < outputs[r].Length; c++)
            {
                Assert.Equal(float.Parse(cells[c], CultureInfo.InvariantCulture), outputs[r][c]);
            }
        }

        // And the command line, now reading through Model.Load, prints exactly what the earlier build printed.
        var predict = CliRunner.Run("predict", EarlierRun(run), "--input", rows);
        Assert.Equal(0, predict.ExitCode);
        Assert.Equal(expected, predict.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void AModelSavedByAProgramWorksWithOccamPredictEvalAndExport()
    {
        using var dir = new TempDir();
        var (model, data) = TrainInAProgram();
        model.Save(dir.File(Model.FileName));

        var predict = CliRunner.Run("predict", dir.Path, "--input", Iris);
        Assert.Equal(0, predict.ExitCode);
        string[] lines = predict.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        float[][] expected = model.Predict(data.Preprocessor.TransformFeatures(data.Table));
        Assert.Equal("setosa,versicolor,virginica,predicted", lines[0]);
        Assert.Equal(expected.Length, lines.Length - 1);
        for (int r = 0; r < expected.Length; r++)
        {
            float[] printed = [.. lines[r + 1].Split(',')[..3].Select(v => float.Parse(v, CultureInfo.InvariantCulture))];
            Assert.Equal(expected[r], printed);
        }

        // eval scores every row of the file it is given, read with the model's saved preprocessing.
        var eval = CliRunner.Run("eval", dir.Path, "--data", "csv:" + Iris, "--json");
        Assert.Equal(0, eval.ExitCode);
        var everyRow = data.Preprocessor.ToDataset(CsvTable.Load(Iris));
        var evaluation = new Evaluator().Evaluate(model.Network, everyRow);
        using var json = System.Text.Json.JsonDocument.Parse(eval.Output);
        Assert.Equal(everyRow.Count, json.RootElement.GetProperty("examples").GetInt32());
        Assert.Equal(evaluation.Loss, json.RootElement.GetProperty("loss").GetDouble(), 12);

        var export = CliRunner.Run("export", dir.Path, "--onnx", dir.File("m.onnx"));
        Assert.Equal(0, export.ExitCode);
        Assert.True(new FileInfo(dir.File("m.onnx")).Length > 0);
    }

    [Fact]
    public void AModelTrainedByOccamTrainLoadsInAProgramAndPredictsAsOccamPredict()
    {
        using var dir = new TempDir();
        string run = dir.File("run");
        Assert.Equal(0, CliRunner.Run("train", "--data", "csv:" + Iris, "--model", "mlp:8", "--epochs", "2", "--threads", "1", "--out", run).ExitCode);

        var model = Model.Load(run);
        Assert.False(model.IsRegression);
        Assert.Equal(["setosa", "versicolor", "virginica"], model.ClassNames);
        float[][] outputs = model.Predict(model.Preprocessor!.TransformFeatures(CsvTable.Load(Iris)));

        var predict = CliRunner.Run("predict", run, "--input", Iris);
        string[] lines = predict.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(outputs.Length, lines.Length - 1);
        for (int r = 0; r < outputs.Length; r++)
        {
            Assert.Equal(outputs[r], lines[r + 1].Split(',')[..3].Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray());
        }
    }

    [Fact]
    public void AFileOfAnotherFormatOrWithADamagedArchitectureIsRefusedByName()
    {
        using var dir = new TempDir();
        var network = ReferenceModels.Mlp([4], [3], classes: 2, dropout: 0, seed: 1);
        Occam.Serialization.ModelWeights.Save(dir.File("other.safetensors"), network, new Dictionary<string, string> { ["format"] = "someone-else-1" });
        var e = Assert.Throws<InvalidDataException>(() => Model.Load(dir.File("other.safetensors")));
        Assert.Contains("other.safetensors: not an Occam model this version reads (format 'someone-else-1'", e.Message, StringComparison.Ordinal);

        var metadata = new Dictionary<string, string>
        {
            ["format"] = Model.Format,
            ["architecture"] = "{\"type\":\"sequential\",\"layers\":[{\"type\":\"dense\",\"units\":\"three\",\"bias\":true}]}",
            ["input_shape"] = "[4]",
            ["class_names"] = "[\"a\",\"b\"]",
        };
        Occam.Serialization.ModelWeights.Save(dir.File("damaged.safetensors"), network, metadata);
        e = Assert.Throws<InvalidDataException>(() => Model.Load(dir.File("damaged.safetensors")));
        Assert.Contains("damaged.safetensors: unreadable model metadata", e.Message, StringComparison.Ordinal);

        Assert.Throws<FileNotFoundException>(() => Model.Load(dir.File("absent")));
        CliRunner.AssertUsageError(CliRunner.Run("predict", dir.File("damaged.safetensors"), "--input", Iris), "unreadable model metadata");
    }

    [Fact]
    public void PredictRefusesAModelWithoutCsvPreprocessingInOneLine()
    {
        using var dir = new TempDir();
        new Model(ReferenceModels.Mlp([4], [3], classes: 2, dropout: 0, seed: 1), ["a", "b"]).Save(dir.File(Model.FileName));
        CliRunner.AssertUsageError(CliRunner.Run("predict", dir.Path, "--input", Iris), "without CSV preprocessing");
    }

    /// <summary>A user's own layer: the library has no saved form for it.</summary>
    private sealed class Identity : Layer
    {
        public override Occam.Tensors.Tensor Forward(Occam.Tensors.Tensor input, bool training) => input;

        public override Occam.Tensors.Tensor Backward(Occam.Tensors.Tensor outputGrad) => outputGrad;

        protected override int[] OnBuild(ReadOnlySpan<int> inputShape, Random random) => inputShape.ToArray();
    }
}
