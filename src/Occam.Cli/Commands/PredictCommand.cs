using System.CommandLine;
using Occam.Cli.Output;
using Occam.Serialization;

namespace Occam.Cli.Commands;

/// <summary>
/// <c>occam predict MODEL --input CSV [--output CSV]</c>: predictions as CSV, one row per input row (classification: class
/// probabilities and the predicted class; regression: the prediction in the target's units).
/// </summary>
internal static class PredictCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var model = new Argument<string>("MODEL") { Description = "A saved model, or the run directory (train --out) that holds it" };
        var input = new Option<string>("--input") { Description = "CSV of feature rows, columns as at training (a label column, if present, is ignored)", HelpName = "CSV", Required = true };
        var output = new Option<string?>("--output") { Description = "Where to write the predictions CSV [default: stdout]", HelpName = "CSV" };
        var threads = NumberOptions.Threads();
        var command = new Command("predict", "Predict the rows of a CSV file with a saved model: for classification a column of probabilities per class, "
            + "then 'predicted' (the most probable class); for regression one column, named after the target, in its units") { model, input, output, threads };
        command.SetAction(result => Run(
            context,
            Validate.ExistingPath("model", result.GetRequiredValue(model)),
            Validate.ExistingFile("--input", result.GetRequiredValue(input)),
            result.GetValue(output),
            Validate.Threads(result.GetValue(threads))));
        return command;
    }

    /// <summary>Predicts and writes the CSV to stdout, or atomically to <paramref name="outputPath"/>.</summary>
    public static int Run(CliContext context, string modelPath, string inputPath, string? outputPath, int threads)
    {
        string modelFile = Directory.Exists(modelPath) ? Path.Combine(modelPath, Model.FileName) : modelPath;
        Validate.Outputs([("--input", inputPath), ("MODEL", modelFile)], [("--output", outputPath)]);

        var table = context.Engine.Predict(modelPath, inputPath, threads, context.CancellationToken);
        if (outputPath is null)
        {
            PredictionCsv.Write(context.Output, table);
            return ExitCodes.Success;
        }

        string full = Path.GetFullPath(outputPath);
        string directory = Path.GetDirectoryName(full) ?? throw new UsageException($"--output '{outputPath}' is not a file path");

        string staging = Path.Combine(directory, $".{Path.GetFileName(full)}.partial-{Guid.NewGuid():N}");
        try
        {
            using (var writer = new StreamWriter(staging))
            {
                PredictionCsv.Write(writer, table);
            }

            File.Move(staging, full, overwrite: true);
        }
        finally
        {
            File.Delete(staging);
        }

        return ExitCodes.Success;
    }
}
