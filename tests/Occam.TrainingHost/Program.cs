using Occam.Data;
using Occam.Kernels;
using Occam.Layers;
using Occam.Models;
using Occam.Pruning;
using Occam.Serialization;
using Occam.Training;

// Trains a small MLP with dropout and pruning (--method, default occam) on the built-in digits, checkpointing into
// --out after every epoch; --resume continues from that checkpoint; --pause-ms sleeps after each epoch so a test can
// kill the process mid-run. Its first hidden layer runs the sparse kernels (with Adam's compact state); the others run
// dense, with calibration off, so a process killed while calibrating cannot make its resume choose other kernels.
// Writes the selected model to OUT/final.safetensors. Exit 0 on success, 2 on bad arguments.
string? output = null;
bool resume = false;
int pauseMs = 0;
string method = "occam";
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--out" when i + 1 < args.Length:
            output = args[++i];
            break;
        case "--method" when i + 1 < args.Length:
            method = args[++i];
            break;
        case "--resume":
            resume = true;
            break;
        case "--pause-ms" when i + 1 < args.Length:
            pauseMs = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            break;
        default:
            Console.Error.WriteLine($"training host: unexpected argument '{args[i]}'");
            return 2;
    }
}

if (output is null)
{
    Console.Error.WriteLine("training host: --out DIR is required");
    return 2;
}

Parallelism.ThreadCount = 2;
KernelCalibration.Enabled = false;
var data = Digits.Load(flatten: true);
var model = Sequential.Create(data.ExampleShape, 1, new Dense(256) { KernelPath = KernelPath.Sparse }, new ReLU(), new Dropout(0.1f, seed: 7), new Dense(16), new ReLU(), new Dense(data.ClassCount));
var options = new TrainerOptions
{
    Epochs = 8,
    Seed = 5,
    LearningRate = 1e-2f,
    Method = method,
    Schedule = PruningMethods.Find(method).CreateSchedule(new PruningMethodOptions { InitialRate = 0.75, RoundEpochs = 2, TargetDensity = 0.1, FineTuneEpochs = 2 }),
    CheckpointDirectory = output,
    Resume = resume,
    Progress = new PauseAfterEpochs(pauseMs),
};
var summary = new Trainer(options).Run(model, data);
ModelWeights.Save(Path.Combine(output, "final.safetensors"), model);
Console.WriteLine($"selected epoch {summary.SelectedEpoch} of {summary.Epochs.Count} records");
return 0;

internal sealed class PauseAfterEpochs(int milliseconds) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value)
    {
        if (value.Record is not null && milliseconds > 0)
        {
            Thread.Sleep(milliseconds);
        }
    }
}
