using Occam.Data;
using Occam.Layers;
using Occam.Models;
using Occam.Serialization;
using Occam.Training;

// Trains on a CSV (default: the shipped iris set) with the library's Trainer, saves the weights and the preprocessing,
// loads both into a fresh model and predicts a few rows. The architecture is rebuilt in code: the library saves
// weights, masks and preprocessing, not yet the architecture (issue 18, "saved models belong to the library").
string csv = args.Length > 0 ? args[0] : Path.Combine("data", "tabular", "iris.csv");
TabularData data = TabularLoader.Load(csv);
Layer Build() => Sequential.Create(data.Train.ExampleShape, seed: 1, new Dense(32), new ReLU(), new Dense(data.Train.ClassCount));

Layer model = Build();
RunSummary summary = new Trainer(new TrainerOptions { Epochs = 100, LearningRate = 1e-2f }).Run(model, data.Train, data.Test);
Console.WriteLine($"selected epoch {summary.SelectedEpoch}: density {summary.Best.Density:F3}, test accuracy {summary.Best.TestAccuracy:P1}");

string folder = Directory.CreateTempSubdirectory("occam-sample").FullName;
ModelWeights.Save(Path.Combine(folder, "model.safetensors"), model);
data.Preprocessor.Save(Path.Combine(folder, "preprocessor.json"));

Layer loaded = Build();
ModelWeights.Load(Path.Combine(folder, "model.safetensors"), loaded);
TabularPreprocessor preprocessor = TabularPreprocessor.Load(Path.Combine(folder, "preprocessor.json"));
CsvTable table = CsvTable.Load(csv);
int[] rows = [0, 50, 100];
var logits = loaded.Forward(preprocessor.TransformFeatures(table, rows), training: false);
int[] actual = preprocessor.TransformLabels(table, rows);
int classes = preprocessor.Classes.Count;
for (int r = 0; r < rows.Length; r++)
{
    var scores = logits.Span.Slice(r * classes, classes);
    int predicted = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(scores);
    Console.WriteLine($"row {rows[r]}: predicted {preprocessor.Classes[predicted]}, actual {preprocessor.Classes[actual[r]]}");
}

Directory.Delete(folder, recursive: true);
