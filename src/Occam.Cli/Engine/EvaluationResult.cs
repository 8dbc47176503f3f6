namespace Occam.Cli.Engine;

/// <summary>A saved model's figures on a test split.</summary>
/// <param name="Examples">Examples evaluated.</param>
/// <param name="Loss">Mean cross-entropy loss.</param>
/// <param name="Accuracy">Fraction classified correctly, in [0, 1].</param>
/// <param name="NonzeroParams">Parameters of the model that are not zero.</param>
/// <param name="TotalParams">All parameters of the model.</param>
internal sealed record EvaluationResult(long Examples, double Loss, double Accuracy, long NonzeroParams, long TotalParams);
