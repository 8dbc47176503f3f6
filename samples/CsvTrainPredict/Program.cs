using Occam.Data;
using Occam.Layers;
using Occam.Models;
using Occam.Serialization;
using Occam.Training;

// Trains on a CSV (default: the shipped iris set) with the library's Trainer, saves the model (architecture, weights,
// masks, classes and the CSV preprocessing in one file), loads it back and predicts a few rows. The saved file is the
// one `occam train` writes: `occam predict`, `eval` and `export` take it as they take a run folder's model.
string csv = args.Length > 0 ? args[0] : Path.Combine("data", "tabular", "iris.csv");
TabularData data = TabularLoader.Load(csv);
Layer network = Sequential.Create(data.Train.ExampleShape, seed: 1, new Dense(32), new ReLU(), new Dense(data.Train.ClassCount));
RunSummary summary = new Trainer(new TrainerOptions { Epochs = 100, LearningRate = 1e-2f }).Run(network, data.Train, data.Test);
Console.WriteLine($"selected epoch {summary.SelectedEpoch}: density {summary.Best.Density:F3}, test accuracy {summary.Best.TestAccuracy:P1}");

string folder = Directory.CreateTempSubdirectory("occam-sample").FullName;
string file = Path.Combine(folder, Model.FileName);
new Model(network, data.Train.ClassNames, data.Preprocessor).Save(file);

Model loaded = Model.Load(file);
TabularPreprocessor preprocessor = loaded.Preprocessor!;
CsvTable table = CsvTable.Load(csv);
int[] rows = [0, 50, 100];
float[][] probabilities = loaded.Predict(preprocessor.TransformFeatures(table, rows));
int[] actual = preprocessor.TransformLabels(table, rows);
for (int r = 0; r < rows.Length; r++)
{
    int predicted = System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(probabilities[r]);
    Console.WriteLine($"row {rows[r]}: predicted {loaded.ClassNames[predicted]}, actual {loaded.ClassNames[actual[r]]}");
}

Directory.Delete(folder, recursive: true);
