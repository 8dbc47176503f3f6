namespace Occam.Data;

/// <summary>Options of <see cref="TabularLoader"/>.</summary>
public sealed record TabularOptions
{
    /// <summary>
    /// Label column name; when null, <c>class</c> if the header has it (for regression <c>target</c>; with no task
    /// given, <c>class</c> and then <c>target</c>), else the last column.
    /// </summary>
    public string? LabelColumn { get; init; }

    /// <summary>Classification or regression; null infers it from the label column (<see cref="TabularLoader.InferTask"/>).</summary>
    public LearningTask? Task { get; init; }

    /// <summary>The default <see cref="TestFraction"/>.</summary>
    public const double DefaultTestFraction = 0.2;

    /// <summary>Share of rows put in the test split (stratified for classification), in [0, 1).</summary>
    public double TestFraction { get; init; } = DefaultTestFraction;

    /// <summary>Seed of the test split.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>NA tokens and forced column kinds (null: none, every kind inferred).</summary>
    public ColumnTyping? Typing { get; init; }
}
