using Microsoft.ML;
using Microsoft.ML.Data;
using Occam.Data;
using Occam.Tensors;

namespace Occam.Baselines;

/// <summary>Turns features [N, F] (and their labels) into ML.NET data views with a fixed-size <c>Features</c> vector.</summary>
internal static class MlData
{
    public static IDataView Unlabelled(MLContext context, Tensor features)
    {
        var rows = new FeatureRow[features.Batch];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = new FeatureRow { Features = RowOf(features, i) };
        }

        return Load(context, rows, features);
    }

    /// <summary>Rows labelled true when their class is <paramref name="positiveClass"/> (a dataset class id).</summary>
    public static IDataView Binary(MLContext context, Dataset data, int positiveClass)
    {
        var rows = new BinaryRow[data.Count];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = new BinaryRow { Label = data.Labels[i] == positiveClass, Features = RowOf(data.Features, i) };
        }

        return Load(context, rows, data.Features);
    }

    /// <summary>Rows whose key-typed label is the compact class id of <paramref name="layout"/>.</summary>
    public static IDataView Multiclass(MLContext context, Dataset data, ClassLayout layout)
    {
        var rows = new KeyRow[data.Count];
        for (int i = 0; i < rows.Length; i++)
        {
            // LoadFromEnumerable stores a key field as zero-based: value v becomes key v + 1, i.e. score slot v.
            rows[i] = new KeyRow { Label = (uint)layout.CompactIds[data.Labels[i]], Features = RowOf(data.Features, i) };
        }

        return Load(context, rows, data.Features,
            schema => schema[nameof(KeyRow.Label)].ColumnType = new KeyDataViewType(typeof(uint), layout.PresentClasses.Length));
    }

    /// <summary>Rows labelled with the numeric <paramref name="targets"/>, one per row of <paramref name="features"/>.</summary>
    public static IDataView Regression(MLContext context, Tensor features, ReadOnlySpan<float> targets)
    {
        var rows = new NumericRow[features.Batch];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = new NumericRow { Label = targets[i], Features = RowOf(features, i) };
        }

        return Load(context, rows, features);
    }

    private static IDataView Load<TRow>(MLContext context, TRow[] rows, Tensor features, Action<SchemaDefinition>? adjust = null)
        where TRow : class
    {
        var schema = SchemaDefinition.Create(typeof(TRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features.RowLength);
        adjust?.Invoke(schema);
        return context.Data.LoadFromEnumerable(rows, schema);
    }

    private static float[] RowOf(Tensor features, int index)
    {
        int width = features.RowLength;
        return features.Span.Slice(index * width, width).ToArray();
    }

    private sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }

    private sealed class BinaryRow
    {
        public bool Label { get; set; }

        public float[] Features { get; set; } = [];
    }

    private sealed class KeyRow
    {
        public uint Label { get; set; }

        public float[] Features { get; set; } = [];
    }

    private sealed class NumericRow
    {
        public float Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
