using System.Globalization;
using Occam.Data;
using Occam.Layers;
using Occam.Models;
using Occam.Serialization;

namespace Occam.Export;

/// <summary>
/// Writes a model as ONNX (IR version 7, opset 13) for deployment tools: Dense as Gemm (MatMul + Add over higher-rank
/// inputs), Conv2D as Conv with explicit pads, MaxPool2D as MaxPool, Flatten as Flatten, ReLU and Tanh as themselves,
/// GELU as its tanh form in Mul/Add/Tanh, Dropout as Identity (inference). A weight tensor with few nonzeros (a pruned
/// one) is a sparse_initializer when that is smaller (see <see cref="OnnxGraph"/>); ONNX Runtime expands it on loading.
/// <para>
/// A tensor model has input "input" [batch, …inputShape] and output "output" [batch, …outputShape]; a regression
/// model's output is in the target's original units (the graph ends with output·std + mean). The model's
/// metadata_props say which ("output": "logits" or "original units"; "target_mean" and "target_std" for regression).
/// </para>
/// <para>
/// A tabular model (<see cref="Export(Layer, TabularPreprocessor, string)"/>) carries its preprocessing and takes the
/// raw columns: one input per feature column, named after it, of shape [batch, 1]: float for a numeric column (NaN for
/// a missing cell), string for a categorical one (the cell's text, trimmed; empty or one of the NA tokens for a missing
/// cell). Numeric columns are imputed, clipped and scaled as their <see cref="NumericTransform"/> says (IsNaN, Where,
/// Clip, Sub, Div), with the 0/1 missing indicator where the model has one; categorical columns are one-hot over the
/// training categories by an ai.onnx.ml LabelEncoder (opset 2) and Equal, a category unseen in training giving all
/// zeros, as <see cref="TabularPreprocessor"/> does. Outputs: "label" [batch] (the most probable class's name, ties to
/// the earlier class) and "probabilities" [batch, classes] for classification; "prediction" [batch, 1] in the
/// target's units for regression.
/// </para>
/// </summary>
public static class OnnxExporter
{
    /// <summary>The ONNX IR version written.</summary>
    public const long IrVersion = 7;

    /// <summary>The operator set version written.</summary>
    public const long Opset = 13;

    /// <summary>The ai.onnx.ml operator set version a tabular model imports (LabelEncoder with string and int64 keys).</summary>
    public const long MlOpset = 2;

    // sqrt(2/π) and the cubic coefficient of the tanh approximation, as the engine's GELU uses them.
    private const float GeluScale = 0.7978845608028654f;
    private const float GeluCubic = 0.044715f;

    /// <summary>
    /// Exports <paramref name="model"/> (built, for examples of shape <paramref name="inputShape"/>) to
    /// <paramref name="path"/>, atomically. A regression model passes the <paramref name="target"/> scaling it was
    /// trained with, so that the graph outputs predictions in original units; classifiers pass null and output logits.
    /// Throws <see cref="NotSupportedException"/> naming the first layer type ONNX export does not cover.
    /// </summary>
    public static void Export(Layer model, int[] inputShape, string path, TargetScaling? target = null)
    {
        byte[] bytes = Encode(model, inputShape, target);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>The ONNX ModelProto of <paramref name="model"/> as bytes (see <see cref="Export(Layer, int[], string, TargetScaling?)"/>).</summary>
    public static byte[] Encode(Layer model, int[] inputShape, TargetScaling? target = null)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        CheckBuilt(model, inputShape);
        var graph = new OnnxGraph();
        string output = Emit(graph, model, "input");
        if (target is not null)
        {
            output = graph.Node("Mul", [output, graph.Scalar((float)target.Std)]);
            output = graph.Node("Add", [output, graph.Scalar((float)target.Mean)]);
        }

        output = graph.Node("Identity", [output], "output");
        var body = graph.Build("occam", [("input", OnnxGraph.FloatType, ToLongs(inputShape))], [("output", OnnxGraph.FloatType, ToLongs(model.OutputShape))]);
        return ModelProto(body, ml: false, OutputMetadata(target));
    }

    /// <summary>
    /// Exports a tabular <paramref name="model"/> with its <paramref name="preprocessor"/> inside the graph to
    /// <paramref name="path"/>, atomically: raw columns in, labels and probabilities or predictions in the target's
    /// units out (see the class remarks). Throws <see cref="NotSupportedException"/> for a layer ONNX export does not
    /// cover or a column name the graph cannot take.
    /// </summary>
    public static void Export(Layer model, TabularPreprocessor preprocessor, string path)
    {
        byte[] bytes = Encode(model, preprocessor);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>The ONNX ModelProto of a tabular model with its preprocessing, as bytes (see <see cref="Export(Layer, TabularPreprocessor, string)"/>).</summary>
    public static byte[] Encode(Layer model, TabularPreprocessor preprocessor)
    {
        ArgumentNullException.ThrowIfNull(preprocessor);
        CheckBuilt(model, [preprocessor.FeatureCount]);
        var graph = new OnnxGraph();
        var inputs = new List<(string Name, int Type, long[] Shape)>();
        var features = new List<string>();
        int numeric = 0;
        foreach (var column in preprocessor.Columns)
        {
            if (column.Kind == ColumnKind.Numeric)
            {
                inputs.Add((column.Name, OnnxGraph.FloatType, [1]));
                EmitNumeric(graph, column.Name, preprocessor.NumericTransforms[numeric++], column.MissingIndicator, features);
            }
            else
            {
                inputs.Add((column.Name, OnnxGraph.StringType, [1]));
                EmitCategorical(graph, column.Name, column.Categories ?? [], preprocessor.NaValues, features);
            }
        }

        string x = features.Count == 1 ? features[0] : graph.Node("Concat", [.. features], null, ("axis", 1L));
        string logits = Emit(graph, model, x);
        ProtoWriter body;
        if (preprocessor.Target is { } target)
        {
            string scaled = graph.Node("Mul", [logits, graph.Scalar((float)target.Std)]);
            graph.Node("Add", [scaled, graph.Scalar((float)target.Mean)], "prediction");
            body = graph.Build("occam", inputs, [("prediction", OnnxGraph.FloatType, [1])]);
        }
        else
        {
            string probabilities = graph.Node("Softmax", [logits], "probabilities", ("axis", 1L));
            string best = graph.Node("ArgMax", [probabilities], null, ("axis", 1L), ("keepdims", 0L));
            long[] indices = new long[preprocessor.Classes.Count];
            for (int i = 0; i < indices.Length; i++)
            {
                indices[i] = i;
            }

            graph.MlNode("LabelEncoder", [best], "label", ("keys_int64s", indices), ("values_strings", preprocessor.Classes.ToArray()), ("default_string", ""));
            body = graph.Build("occam", inputs, [("label", OnnxGraph.StringType, []), ("probabilities", OnnxGraph.FloatType, [preprocessor.Classes.Count])]);
        }

        return ModelProto(body, ml: true, preprocessor.Target is null ? [("output", "label and probabilities")] : OutputMetadata(preprocessor.Target));
    }

    /// <summary>Impute (IsNaN, Where), clip, centre and scale one numeric column; then its missing indicator, if any.</summary>
    private static void EmitNumeric(OnnxGraph graph, string input, NumericTransform transform, bool missingIndicator, List<string> features)
    {
        string missing = graph.Node("IsNaN", [input]);
        string filled = graph.Node("Where", [missing, graph.Scalar((float)transform.Fill), input]);
        string clipped = graph.Node("Clip", [filled, graph.Scalar((float)transform.Low), graph.Scalar((float)transform.High)]);
        string centred = graph.Node("Sub", [clipped, graph.Scalar((float)transform.Center)]);
        features.Add(graph.Node("Div", [centred, graph.Scalar((float)transform.Scale)]));
        if (missingIndicator)
        {
            features.Add(graph.Node("Cast", [missing], null, ("to", (long)OnnxGraph.FloatType)));
        }
    }

    /// <summary>
    /// One-hot over <paramref name="categories"/>: LabelEncoder maps a category to its index (an NA token to the
    /// missing category's, anything else to −1), Equal against 0…k−1 sets its one position, none for −1.
    /// </summary>
    private static void EmitCategorical(OnnxGraph graph, string input, IReadOnlyList<string> categories, IReadOnlyList<string> naValues, List<string> features)
    {
        if (categories.Count == 0)
        {
            return;
        }

        var keys = new List<string>(categories);
        var values = new List<long>();
        for (int i = 0; i < categories.Count; i++)
        {
            values.Add(i);
        }

        int missingIndex = keys.IndexOf(string.Empty);
        foreach (string na in naValues)
        {
            if (!keys.Contains(na))
            {
                keys.Add(na);
                values.Add(missingIndex);
            }
        }

        string index = graph.MlNode("LabelEncoder", [input], null, ("keys_strings", keys.ToArray()), ("values_int64s", values.ToArray()), ("default_int64", -1L));
        string hot = graph.Node("Equal", [index, graph.Int64s(values.ToArray().AsSpan(0, categories.Count))]);
        features.Add(graph.Node("Cast", [hot], null, ("to", (long)OnnxGraph.FloatType)));
    }

    private static void CheckBuilt(Layer model, int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.IsBuilt)
        {
            throw new ArgumentException("The model must be built before export.", nameof(model));
        }

        if (!model.InputShape.SequenceEqual(inputShape))
        {
            throw new ArgumentException(
                $"The model was built for examples of shape [{string.Join(", ", model.InputShape.ToArray())}], not [{string.Join(", ", inputShape)}].",
                nameof(inputShape));
        }
    }

    /// <summary>ModelProto{ir_version 1, producer 2 and 3, graph 7, opset_import 8, metadata_props 14}.</summary>
    private static byte[] ModelProto(ProtoWriter body, bool ml, (string Key, string Value)[] metadata)
    {
        var modelProto = new ProtoWriter()
            .Int64(1, IrVersion)
            .String(2, "occam")
            .String(3, typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "")
            .Message(7, body)
            .Message(8, new ProtoWriter().String(1, "").Int64(2, Opset));
        if (ml)
        {
            modelProto.Message(8, new ProtoWriter().String(1, OnnxGraph.MlDomain).Int64(2, MlOpset));
        }

        foreach (var (key, value) in metadata)
        {
            modelProto.Message(14, new ProtoWriter().String(1, key).String(2, value));
        }

        return modelProto.ToArray();
    }

    /// <summary>What the output holds, as ModelProto.metadata_props (StringStringEntryProto: key 1, value 2).</summary>
    private static (string Key, string Value)[] OutputMetadata(TargetScaling? target) => target is null
        ? [("output", "logits")]
        :
        [
            ("output", "original units"),
            ("target_mean", target.Mean.ToString("R", CultureInfo.InvariantCulture)),
            ("target_std", target.Std.ToString("R", CultureInfo.InvariantCulture)),
        ];

    private static string Emit(OnnxGraph graph, Layer layer, string x) => layer switch
    {
        Sequential sequential => EmitSequential(graph, sequential, x),
        Dense dense => EmitDense(graph, dense, x),
        Conv2D conv => EmitConv(graph, conv, x),
        MaxPool2D pool => graph.Node("MaxPool", [x], null, ("kernel_shape", new long[] { pool.PoolSize, pool.PoolSize }), ("strides", new long[] { pool.PoolSize, pool.PoolSize })),
        Flatten => graph.Node("Flatten", [x], null, ("axis", 1L)),
        ReLU => graph.Node("Relu", [x]),
        Tanh => graph.Node("Tanh", [x]),
        GELU => EmitGelu(graph, x),
        Dropout => graph.Node("Identity", [x]),
        _ => throw new NotSupportedException($"ONNX export does not support {layer.GetType().Name} layers (only Dense, Conv2D, MaxPool2D, Flatten, Dropout, ReLU, Tanh and GELU in Sequential models)."),
    };

    private static string EmitSequential(OnnxGraph graph, Sequential sequential, string x)
    {
        foreach (var layer in sequential.Layers)
        {
            x = Emit(graph, layer, x);
        }

        return x;
    }

    private static string EmitDense(OnnxGraph graph, Dense dense, string x)
    {
        var weight = dense.Weight;
        int outFeatures = dense.OutFeatures, inFeatures = dense.InFeatures;
        if (dense.InputShape.Length == 1)
        {
            // Gemm: Y = X·Wᵀ + b with W stored [out, in], as the engine keeps it.
            string w = graph.Initializer(weight.Name, weight.Value.Span, outFeatures, inFeatures);
            string[] inputs = dense.Bias is { } b ? [x, w, graph.Initializer(b.Name, b.Value.Span, outFeatures)] : [x, w];
            return graph.Node("Gemm", inputs, null, ("transB", 1L));
        }

        // Over higher-rank inputs MatMul broadcasts over the leading axes; it needs W transposed to [in, out].
        var transposed = new float[weight.Length];
        var source = weight.Value.Span;
        for (int o = 0; o < outFeatures; o++)
        {
            for (int i = 0; i < inFeatures; i++)
            {
                transposed[i * outFeatures + o] = source[o * inFeatures + i];
            }
        }

        string product = graph.Node("MatMul", [x, graph.Initializer(weight.Name, transposed, inFeatures, outFeatures)]);
        return dense.Bias is { } bias ? graph.Node("Add", [product, graph.Initializer(bias.Name, bias.Value.Span, outFeatures)]) : product;
    }

    private static string EmitConv(OnnxGraph graph, Conv2D conv, string x)
    {
        int k = conv.KernelSize;
        var weight = conv.Weight;
        string w = graph.Initializer(weight.Name, weight.Value.Span, conv.Filters, conv.InputShape[0], k, k);
        string[] inputs = conv.Bias is { } b ? [x, w, graph.Initializer(b.Name, b.Value.Span, conv.Filters)] : [x, w];

        // 'Same' follows TensorFlow: k − 1 in total, the odd one at the bottom and right.
        long before = conv.Padding == Padding.Same ? (k - 1) / 2 : 0;
        long after = conv.Padding == Padding.Same ? k - 1 - before : 0;
        return graph.Node("Conv", inputs, null,
            ("kernel_shape", new long[] { k, k }),
            ("pads", new long[] { before, before, after, after }),
            ("strides", new long[] { 1, 1 }));
    }

    /// <summary>y = x · (½ + ½·tanh(√(2/π)·(x + 0.044715·x³))).</summary>
    private static string EmitGelu(OnnxGraph graph, string x)
    {
        string square = graph.Node("Mul", [x, x]);
        string cube = graph.Node("Mul", [square, x]);
        string inner = graph.Node("Add", [x, graph.Node("Mul", [cube, graph.Scalar(GeluCubic)])]);
        string t = graph.Node("Tanh", [graph.Node("Mul", [inner, graph.Scalar(GeluScale)])]);
        string half = graph.Scalar(0.5f);
        string gate = graph.Node("Add", [graph.Node("Mul", [t, half]), half]);
        return graph.Node("Mul", [x, gate]);
    }

    private static long[] ToLongs(ReadOnlySpan<int> shape)
    {
        var result = new long[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            result[i] = shape[i];
        }

        return result;
    }
}
