using System.CommandLine;
using System.Globalization;
using Occam.Benchmarks;

namespace Occam.Cli.Commands;

/// <summary><c>occam demo</c>: small self-contained demonstrations; <c>sparse-regression</c> is the linear-regression one.</summary>
internal static class DemoCommand
{
    /// <summary>Creates the command with its subcommands.</summary>
    public static Command Create(CliContext context)
    {
        var seed = NumberOptions.Integer("--seed", "Seed of the data, the initialisation, the splits and the batches", "S", () => 1);
        var sparse = new Command("sparse-regression",
            $"Fit y = x·w + noise ({SparseRegressionDemo.Features} features, {SparseRegressionDemo.TrueNonzeros} non-zero) with a linear model, by Occam and by plain gradient descent")
        {
            seed,
        };
        sparse.SetAction(result => RunSparseRegression(context, result.GetValue(seed)));
        return new Command("demo", "Demonstrations") { sparse };
    }

    /// <summary>Runs the sparse-regression demonstration and prints what Occam kept and both test RMSEs.</summary>
    public static int RunSparseRegression(CliContext context, int seed)
    {
        var r = context.Engine.DemoSparseRegression(seed, context.CancellationToken);
        int falseWeights = r.Features - r.TrueNonzeros;
        var output = context.Output;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sparse linear regression, seed {seed}: {r.Features} features, {r.TrueNonzeros} non-zero true weights, noise std {r.NoiseStd}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"occam kept {r.KeptTrue} of the {r.TrueNonzeros} true non-zeros; {r.SurvivingFalse} of the {falseWeights} false weights survived (density {r.OccamDensity:F3})"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"test RMSE: occam {r.OccamRmse:F4}, plain gradient descent {r.DenseRmse:F4} (noise floor {r.NoiseStd})"));
        return ExitCodes.Success;
    }
}
