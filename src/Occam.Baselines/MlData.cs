using Microsoft.ML;
using Microsoft.ML.Data;
using Occam.Data;

namespace Occam.Baselines;

/// <summary>Turns a <see cref="Dataset"/> into ML.NET data views with a fixed-size <c>Features</c> vector.</summary>
internal static class MlData
{
    public static IDataView Unlabelled(MLContext context, Dataset data)
    {
        var rows = new FeatureRow[data.Count];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = new FeatureRow { Features = RowOf(data, i) };
        }

        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = FeatureType(data);
        return context.Data.LoadFromEnumerable(rows, schema);
    }

    /// <summary>Rows labelled true when their class is <paramref name="positiveClass"/> (a dataset class id).</summary>
    public static IDataView Binary(MLContext context, Dataset data, int positiveClass)
    {
        var rows = new BinaryRow[data.Count];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = new BinaryRow { Label = data.Labels[i] == positiveClass, Features = RowOf(data, i) };
        }

        var schema = SchemaDefinition.Create(typeof(BinaryRow));
        schema[nameof(BinaryRow.Features)].ColumnType = FeatureType(data);
        return context.Data.LoadFromEnumerable(rows, schema);
    }

    /// <summary>Rows whose key-typed label is the compact class id of <paramref name="layout"/>.</summary>
    public static IDataView Multiclass(MLContext context, Dataset data, ClassLayout layout)
    {
        var rows = new KeyRow[data.Count];
        for (int i = 0; i < rows.Length; i++)
        {
            // LoadFromEnumerable stores a key field as zero-based: value v becomes key v + 1, i.e. score slot v.
            rows[i] = new KeyRow { Label = (uint)layout.CompactIds[data.Labels[i]], Features = RowOf(data, i) };
        }

        var schema = SchemaDefinition.Create(typeof(KeyRow));
        schema[nameof(KeyRow.Features)].ColumnType = FeatureType(data);
        schema[nameof(KeyRow.Label)].ColumnType = new KeyDataViewType(typeof(uint), layout.PresentClasses.Length);
        return context.Data.LoadFromEnumerable(rows, schema);
    }

    private static VectorDataViewType FeatureType(Dataset data) =>
        new(NumberDataViewType.Single, data.Features.RowLength);

    private static float[] RowOf(Dataset data, int index)
    {
        int width = data.Features.RowLength;
        return data.Features.Span.Slice(index * width, width).ToArray();
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
}
