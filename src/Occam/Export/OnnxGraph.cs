using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Occam.Serialization;

namespace Occam.Export;

/// <summary>
/// Builds an ONNX GraphProto: nodes, float initializers and graph inputs and outputs, with field numbers from
/// onnx.proto (GraphProto: node 1, name 2, initializer 5, input 11, output 12, sparse_initializer 15; NodeProto: input 1,
/// output 2, name 3, op_type 4, attribute 5; TensorProto: dims 1, data_type 2, name 8, raw_data 9; SparseTensorProto:
/// values 1, indices 2, dims 3; AttributeProto: name 1, f 2, i 3, s 4, ints 8, strings 9, type 20; ValueInfoProto:
/// name 1, type 2; NodeProto domain 7 for ai.onnx.ml operators).
/// A float initializer with few nonzeros is written as a sparse_initializer when that is smaller: its nonzero values
/// (float [nnz]) and their positions in the flattened tensor (indices [nnz], increasing, in the narrowest of int8,
/// int16 and int32 that holds them), which ONNX Runtime expands to the dense tensor when it loads the model.
/// </summary>
internal sealed class OnnxGraph
{
    /// <summary>TensorProto.DataType FLOAT.</summary>
    public const int FloatType = 1;

    /// <summary>TensorProto.DataType INT64.</summary>
    public const int Int64Type = 7;

    /// <summary>TensorProto.DataType STRING.</summary>
    public const int StringType = 8;

    /// <summary>The domain of the ONNX-ML operators (LabelEncoder).</summary>
    public const string MlDomain = "ai.onnx.ml";

    private const int Int8Type = 3;
    private const int Int16Type = 5;
    private const int Int32Type = 6;
    private const int AttributeString = 3;
    private const int AttributeStrings = 8;
    private const int AttributeFloat = 1;
    private const int AttributeInt = 2;
    private const int AttributeInts = 7;

    private readonly List<ProtoWriter> _nodes = [];
    private readonly List<ProtoWriter> _initializers = [];
    private readonly List<ProtoWriter> _sparseInitializers = [];
    private readonly HashSet<string> _produced = new(StringComparer.Ordinal);
    private int _names;

    /// <summary>A fresh value name with <paramref name="prefix"/>.</summary>
    public string NewName(string prefix) => $"{prefix}_{_names++}";

    /// <summary>Adds a float initializer of shape <paramref name="dims"/> (sparse when that is smaller) and returns its name.</summary>
    public string Initializer(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        _produced.Add(name);

        // Only +0.0 is left out, so the expanded tensor is the same bit for bit (−0.0 is kept as a value).
        var bits = MemoryMarshal.Cast<float, uint>(values);
        int nonzero = bits.Length - bits.Count(0u);
        var (indexType, indexBytes) = values.Length switch
        {
            <= sbyte.MaxValue + 1 => (Int8Type, sizeof(sbyte)),
            <= short.MaxValue + 1 => (Int16Type, sizeof(short)),
            _ => (Int32Type, sizeof(int)),
        };
        if ((long)nonzero * (sizeof(float) + indexBytes) >= (long)values.Length * sizeof(float))
        {
            _initializers.Add(Tensor(name, FloatType, dims, CompactTensors.FloatBytes(values)));
            return name;
        }

        var kept = new float[nonzero];
        byte[] indices = new byte[nonzero * indexBytes];
        int k = 0;
        for (int i = 0; i < bits.Length; i++)
        {
            if (bits[i] == 0)
            {
                continue;
            }

            kept[k] = values[i];
            switch (indexBytes)
            {
                case sizeof(sbyte):
                    indices[k] = (byte)i;
                    break;
                case sizeof(short):
                    BinaryPrimitives.WriteInt16LittleEndian(indices.AsSpan(k * indexBytes), (short)i);
                    break;
                default:
                    BinaryPrimitives.WriteInt32LittleEndian(indices.AsSpan(k * indexBytes), i);
                    break;
            }

            k++;
        }

        var sparse = new ProtoWriter()
            .Message(1, Tensor(name, FloatType, [nonzero], CompactTensors.FloatBytes(kept)))
            .Message(2, Tensor(name + "_indices", indexType, [nonzero], indices));
        foreach (long d in dims)
        {
            sparse.Int64(3, d);
        }

        _sparseInitializers.Add(sparse);
        return name;
    }

    /// <summary>Adds a scalar float constant and returns its name.</summary>
    public string Scalar(float value) => Initializer(NewName("const"), [value]);

    /// <summary>Adds an int64 initializer of shape [values.Length] and returns its name.</summary>
    public string Int64s(ReadOnlySpan<long> values)
    {
        string name = NewName("const");
        _produced.Add(name);
        byte[] raw = new byte[values.Length * sizeof(long)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * sizeof(long)), values[i]);
        }

        _initializers.Add(Tensor(name, Int64Type, [values.Length], raw));
        return name;
    }

    /// <summary>Adds an ai.onnx.ml node (see <see cref="Node"/>).</summary>
    public string MlNode(string opType, string[] inputs, string? output = null, params (string Name, object Value)[] attributes)
    {
        string result = Node(opType, inputs, output, attributes);
        _nodes[^1].String(7, MlDomain);
        return result;
    }

    /// <summary>Adds a node and returns its (single) output name.</summary>
    public string Node(string opType, string[] inputs, string? output = null, params (string Name, object Value)[] attributes)
    {
        string result = output ?? NewName(opType.ToLowerInvariant());
        _produced.Add(result);
        var node = new ProtoWriter();
        foreach (string input in inputs)
        {
            node.String(1, input);
        }

        node.String(2, result).String(3, NewName("node")).String(4, opType);
        foreach (var (name, value) in attributes)
        {
            var attribute = new ProtoWriter().String(1, name);
            switch (value)
            {
                case long[] ints:
                    foreach (long i in ints)
                    {
                        attribute.Int64(8, i);
                    }

                    attribute.Int64(20, AttributeInts);
                    break;
                case long i:
                    attribute.Int64(3, i).Int64(20, AttributeInt);
                    break;
                case float f:
                    attribute.Float(2, f).Int64(20, AttributeFloat);
                    break;
                case string text:
                    attribute.String(4, text).Int64(20, AttributeString);
                    break;
                case string[] texts:
                    foreach (string text in texts)
                    {
                        attribute.String(9, text);
                    }

                    attribute.Int64(20, AttributeStrings);
                    break;
                default:
                    throw new ArgumentException($"Unsupported attribute type {value.GetType().Name}.", nameof(attributes));
            }

            node.Message(5, attribute);
        }

        _nodes.Add(node);
        return result;
    }

    /// <summary>
    /// The GraphProto with the given inputs and outputs (element type, shape after a symbolic batch dimension).
    /// Throws <see cref="NotSupportedException"/> when an input's name is also a value the graph computes.
    /// </summary>
    public ProtoWriter Build(string name, IReadOnlyList<(string Name, int Type, long[] Shape)> inputs, IReadOnlyList<(string Name, int Type, long[] Shape)> outputs)
    {
        foreach (var input in inputs)
        {
            if (!_produced.Add(input.Name))
            {
                throw new NotSupportedException($"the input '{input.Name}' has the name of a value inside the graph; rename it");
            }
        }

        var graph = new ProtoWriter();
        foreach (var node in _nodes)
        {
            graph.Message(1, node);
        }

        graph.String(2, name);
        foreach (var initializer in _initializers)
        {
            graph.Message(5, initializer);
        }

        foreach (var (input, type, shape) in inputs)
        {
            graph.Message(11, ValueInfo(input, type, shape));
        }

        foreach (var (output, type, shape) in outputs)
        {
            graph.Message(12, ValueInfo(output, type, shape));
        }

        foreach (var sparse in _sparseInitializers)
        {
            graph.Message(15, sparse);
        }

        return graph;
    }

    /// <summary>TensorProto{dims, data_type, name, raw_data}.</summary>
    private static ProtoWriter Tensor(string name, int dataType, long[] dims, byte[] raw)
    {
        var tensor = new ProtoWriter();
        foreach (long d in dims)
        {
            tensor.Int64(1, d);
        }

        return tensor.Int64(2, dataType).String(8, name).Bytes(9, raw);
    }

    /// <summary>ValueInfoProto{name, TypeProto{tensor_type: {elem_type, shape: [batch, dims…]}}}.</summary>
    private static ProtoWriter ValueInfo(string name, int type, long[] shape)
    {
        var dims = new ProtoWriter().Message(1, new ProtoWriter().String(2, "batch"));
        foreach (long d in shape)
        {
            dims.Message(1, new ProtoWriter().Int64(1, d));
        }

        var tensorType = new ProtoWriter().Int64(1, type).Message(2, dims);
        return new ProtoWriter().String(1, name).Message(2, new ProtoWriter().Message(1, tensorType));
    }
}
