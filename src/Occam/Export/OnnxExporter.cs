using System.Globalization;
using Occam.Data;
using Occam.Layers;
using Occam.Models;
using Occam.Serialization;

namespace Occam.Export;

/// <summary>
/// Writes a model as ONNX (IR version 7, opset 13, standard operators only) for deployment tools: Dense as Gemm
/// (MatMul + Add over higher-rank inputs), Conv2D as Conv with explicit pads, MaxPool2D as MaxPool, Flatten as Flatten,
/// ReLU and Tanh as themselves, GELU as its tanh form in Mul/Add/Tanh, Dropout as Identity (inference). Pruned weights
/// are written as they are: zeros in dense tensors. The graph has input "input" [batch, …inputShape] and output
/// "output" [batch, …outputShape]. A regression model's output is in the target's original units: the graph ends with
/// output·std + mean, undoing the standardisation the model was trained on. The model's metadata_props say which
/// ("output": "logits" or "original units"; "target_mean" and "target_std" for regression).
/// </summary>
public static class OnnxExporter
{
    /// <summary>The ONNX IR version written.</summary>
    public const long IrVersion = 7;

    /// <summary>The operator set version written.</summary>
    public const long Opset = 13;

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

    /// <summary>The ONNX ModelProto of <paramref name="model"/> as bytes (see <see cref="Export"/>).</summary>
    public static byte[] Encode(Layer model, int[] inputShape, TargetScaling? target = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputShape);
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

        var graph = new OnnxGraph();
        string output = Emit(graph, model, "input");
        if (target is not null)
        {
            output = graph.Node("Mul", [output, graph.Scalar((float)target.Std)]);
            output = graph.Node("Add", [output, graph.Scalar((float)target.Mean)]);
        }

        output = graph.Node("Identity", [output], "output");
        var body = graph.Build("occam", "input", ToLongs(inputShape), output, ToLongs(model.OutputShape));
        var opset = new ProtoWriter().String(1, "").Int64(2, Opset);
        var modelProto = new ProtoWriter()
            .Int64(1, IrVersion)
            .String(2, "occam")
            .String(3, typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "")
            .Message(7, body)
            .Message(8, opset);
        foreach (var (key, value) in OutputMetadata(target))
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
