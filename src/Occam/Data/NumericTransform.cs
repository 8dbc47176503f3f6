namespace Occam.Data;

/// <summary>
/// The encoding of one numeric feature column, fitted on the training split: a missing cell becomes
/// <paramref name="Fill"/>, the value is clipped to [<paramref name="Low"/>, <paramref name="High"/>], then mapped to
/// <c>(x - Center) / Scale</c>. Every step is elementwise so an exported graph can reproduce it exactly
/// (ONNX: Where/IsNaN, Clip, Sub, Div).
/// </summary>
/// <param name="Fill">Value imputed for a missing cell, in the column's units.</param>
/// <param name="Low">Lower clipping bound (negative infinity: none).</param>
/// <param name="High">Upper clipping bound (positive infinity: none), at least <paramref name="Low"/>.</param>
/// <param name="Center">Subtracted after clipping.</param>
/// <param name="Scale">Divides after centring; positive and finite.</param>
public sealed record NumericTransform(double Fill, double Low, double High, double Center, double Scale)
{
    /// <summary>The feature value of a present cell holding <paramref name="value"/>.</summary>
    public float Apply(double value) => (float)((Math.Clamp(value, Low, High) - Center) / Scale);

    /// <summary>The feature value of a missing cell.</summary>
    public float Missing => Apply(Fill);

    /// <summary>Why this transform cannot be applied, or null when it can.</summary>
    internal string? Problem() =>
        !double.IsFinite(Fill) ? "a finite fill value"
        : double.IsNaN(Low) || double.IsNaN(High) || Low > High || double.IsPositiveInfinity(Low) || double.IsNegativeInfinity(High) ? "a clipping range with low <= high"
        : !double.IsFinite(Center) ? "a finite center"
        : !(Scale > 0 && double.IsFinite(Scale)) ? "a positive finite scale"
        : null;
}
