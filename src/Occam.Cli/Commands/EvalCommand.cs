using System.CommandLine;
using Occam.Cli.Engine;
using Occam.Cli.Output;
using Occam.Cli.Specs;

namespace Occam.Cli.Commands;

/// <summary><c>occam eval MODEL --data SPEC</c>: a saved model's loss and accuracy on a data set's test split, or on every row of a CSV file.</summary>
internal static class EvalCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var model = new Argument<string>("MODEL") { Description = "A saved model, or the run directory (train --out) that holds it" };
        var data = new Option<string>("--data") { Description = "Data set to evaluate (same SPEC forms as train): its test split, or every row of csv:FILE", HelpName = "SPEC", Required = true };
        var batchSize = NumberOptions.Integer("--batch-size", "Examples per forward pass", "N", () => 256);
        var threads = NumberOptions.Threads();
        var label = new Option<string?>("--label") { Description = "CSV label column [default: 'class', else the last column]", HelpName = "COLUMN" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON on stdout, and nothing else there" };
        var command = new Command("eval", "Evaluate a saved model on a data set's test split, or on every row of a CSV file") { model, data, batchSize, threads, label, json };
        command.SetAction(result =>
        {
            var dataSpec = DataSpecParser.Parse(result.GetRequiredValue(data));
            string? labelColumn = result.GetValue(label);
            if (labelColumn is not null && dataSpec.Kind != DataKind.Csv)
            {
                throw new UsageException($"--label applies only to csv data, not to --data '{dataSpec}'");
            }

            var request = new EvaluationRequest(
                Validate.ExistingPath("model", result.GetRequiredValue(model)),
                dataSpec,
                Validate.AtLeast("--batch-size", result.GetValue(batchSize), 1),
                Validate.Threads(result.GetValue(threads)),
                labelColumn);
            return Run(context, request, result.GetValue(json));
        });
        return command;
    }

    /// <summary>Evaluates a validated request and prints the result.</summary>
    public static int Run(CliContext context, EvaluationRequest request, bool json)
    {
        DataAvailability.Check(request.Data);
        var evaluation = context.Progress.Run(sink => context.Engine.Evaluate(request, sink, context.CancellationToken));
        if (json)
        {
            context.Output.WriteLine(JsonOutput.Evaluation(evaluation));
        }
        else
        {
            ResultTables.WriteEvaluation(context.OutputConsole, evaluation);
        }

        return ExitCodes.Success;
    }
}
