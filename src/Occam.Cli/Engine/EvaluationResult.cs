namespace Occam.Cli.Engine;

/// <summary>A saved model's figures on a test split.</summary>
/// <param name="Examples">Examples evaluated.</param>
/// <param name="Loss">Mean task loss: cross-entropy, or for regression mean squared error on standardised targets.</param>
/// <param name="Accuracy">Fraction classified correctly, in [0, 1] (NaN for regression).</param>
/// <param name="NonzeroParams">Parameters of the model that are not zero.</param>
/// <param name="TotalParams">All parameters of the model.</param>
/// <param name="Regression">Regression models: MSE, RMSE, MAE and R² in the target's original units.</param>
internal sealed record EvaluationResult(long Examples, double Loss, double Accuracy, long NonzeroParams, long TotalParams,
    Occam.Training.RegressionScores? Regression = null);
