using System.CommandLine;
using Occam.Export;
using Occam.Serialization;

namespace Occam.Cli.Commands;

/// <summary><c>occam export RUN_DIR --onnx FILE --safetensors FILE</c>: the run's selected model in deployment formats.</summary>
internal static class ExportCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var run = new Argument<string>("RUN_DIR") { Description = "A run directory (train --out) or the model.safetensors it holds" };
        var onnx = new Option<string?>("--onnx")
        {
            Description = "Write the model as ONNX (opset 13; pruned weights as sparse initializers). A CSV model takes one input per column (float, NaN if missing; "
                + "string for categorical), preprocesses inside the graph and outputs 'label' and 'probabilities', or 'prediction' in the target's units",
            HelpName = "FILE",
        };
        var safetensors = new Option<string?>("--safetensors") { Description = "Write the weights and masks as safetensors (masks bit-packed, pruned weights sparse), with the model's metadata", HelpName = "FILE" };
        var command = new Command("export", "Export a trained model as ONNX and/or safetensors") { run, onnx, safetensors };
        command.SetAction(result => Run(
            context,
            Validate.ExistingPath("run directory", result.GetRequiredValue(run)),
            result.GetValue(onnx),
            result.GetValue(safetensors)));
        return command;
    }

    /// <summary>Rebuilds the saved model and writes each requested file atomically; prints one line per file with its size.</summary>
    public static int Run(CliContext context, string runPath, string? onnxPath, string? safetensorsPath)
    {
        if (onnxPath is null && safetensorsPath is null)
        {
            throw new UsageException("nothing to export: give --onnx FILE and/or --safetensors FILE");
        }

        string modelFile = Directory.Exists(runPath) ? Path.Combine(runPath, Model.FileName) : runPath;
        Validate.Outputs([("RUN_DIR", modelFile)], [("--onnx", onnxPath), ("--safetensors", safetensorsPath)]);
        var saved = Model.Load(runPath);
        if (onnxPath is not null)
        {
            try
            {
                if (saved.Preprocessor is { } preprocessor)
                {
                    OnnxExporter.Export(saved.Network, preprocessor, onnxPath);
                }
                else
                {
                    OnnxExporter.Export(saved.Network, saved.InputShape, onnxPath);
                }
            }
            catch (NotSupportedException e)
            {
                throw new UsageException($"--onnx: {e.Message.TrimEnd('.')}", e);
            }

            context.Output.WriteLine($"onnx written to {onnxPath} ({RunArtefacts.FileSize(onnxPath)})");
        }

        if (safetensorsPath is not null)
        {
            var (_, metadata) = SafeTensors.Read(modelFile);
            ModelWeights.Save(safetensorsPath, saved.Network, metadata);
            context.Output.WriteLine($"safetensors written to {safetensorsPath} ({RunArtefacts.FileSize(safetensorsPath)})");
        }

        return ExitCodes.Success;
    }
}
