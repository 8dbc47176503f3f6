namespace Occam.Data;

/// <summary>Options of <see cref="TabularLoader"/>.</summary>
public sealed record TabularOptions
{
    /// <summary>Label column name; when null, <c>class</c> if the header has it, else the last column.</summary>
    public string? LabelColumn { get; init; }

    /// <summary>Share of rows put in the (stratified) test split, in [0, 1).</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Seed of the test split.</summary>
    public int Seed { get; init; } = 1;
}
