using System.Globalization;

namespace Occam.Data;

/// <summary>The task <see cref="TabularLoader.InferTask"/> read from a label column, and why.</summary>
/// <param name="Task">The inferred task.</param>
/// <param name="LabelColumn">The label column examined.</param>
/// <param name="Numeric">True when every label cell is a finite number.</param>
/// <param name="DistinctValues">Distinct values of a numeric label column (0 when not numeric).</param>
public sealed record TaskInference(LearningTask Task, string LabelColumn, bool Numeric, int DistinctValues)
{
    /// <summary>One line for the user, e.g. "inferred task regression: label column 'target' is numeric with 214 distinct values".</summary>
    public string Describe() => Task == LearningTask.Regression
        ? string.Create(CultureInfo.InvariantCulture, $"inferred task regression: label column '{LabelColumn}' is numeric with {DistinctValues} distinct values")
        : Numeric
            ? string.Create(CultureInfo.InvariantCulture, $"inferred task classification: label column '{LabelColumn}' has {DistinctValues} distinct values")
            : $"inferred task classification: label column '{LabelColumn}' is not numeric";
}
