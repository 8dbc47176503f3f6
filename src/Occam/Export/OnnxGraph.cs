using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Occam.Export;

/// <summary>
/// Builds an ONNX GraphProto: nodes, float initializers and graph inputs and outputs, with field numbers from
/// onnx.proto (GraphProto: node 1, name 2, initializer 5, input 11, output 12; NodeProto: input 1, output 2, name 3,
/// op_type 4, attribute 5; TensorProto: dims 1, data_type 2, name 8, raw_data 9; AttributeProto: name 1, f 2, i 3,
/// ints 8, type 20; ValueInfoProto: name 1, type 2).
/// </summary>
internal sealed class OnnxGraph
{
    private const int FloatType = 1;
    private const int AttributeFloat = 1;
    private const int AttributeInt = 2;
    private const int AttributeInts = 7;

    private readonly List<ProtoWriter> _nodes = [];
    private readonly List<ProtoWriter> _initializers = [];
    private int _names;

    /// <summary>A fresh value name with <paramref name="prefix"/>.</summary>
    public string NewName(string prefix) => $"{prefix}_{_names++}";

    /// <summary>Adds a float initializer of shape <paramref name="dims"/> and returns its name.</summary>
    public string Initializer(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        var tensor = new ProtoWriter();
        foreach (long d in dims)
        {
            tensor.Int64(1, d);
        }

        tensor.Int64(2, FloatType).String(8, name);
        byte[] raw = new byte[values.Length * sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(raw);
        }
        else
        {
            for (int i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4), values[i]);
            }
        }

        tensor.Bytes(9, raw);
        _initializers.Add(tensor);
        return name;
    }

    /// <summary>Adds a scalar float constant and returns its name.</summary>
    public string Scalar(float value) => Initializer(NewName("const"), [value]);

    /// <summary>Adds a node and returns its (single) output name.</summary>
    public string Node(string opType, string[] inputs, string? output = null, params (string Name, object Value)[] attributes)
    {
        string result = output ?? NewName(opType.ToLowerInvariant());
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
                default:
                    throw new ArgumentException($"Unsupported attribute type {value.GetType().Name}.", nameof(attributes));
            }

            node.Message(5, attribute);
        }

        _nodes.Add(node);
        return result;
    }

    /// <summary>The GraphProto with one float input and one float output, each with a symbolic batch dimension.</summary>
    public ProtoWriter Build(string name, string input, long[] inputShape, string output, long[] outputShape)
    {
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

        graph.Message(11, ValueInfo(input, inputShape));
        graph.Message(12, ValueInfo(output, outputShape));
        return graph;
    }

    /// <summary>ValueInfoProto{name, TypeProto{tensor_type: {elem_type FLOAT, shape: [batch, dims…]}}}.</summary>
    private static ProtoWriter ValueInfo(string name, long[] shape)
    {
        var dims = new ProtoWriter().Message(1, new ProtoWriter().String(2, "batch"));
        foreach (long d in shape)
        {
            dims.Message(1, new ProtoWriter().Int64(1, d));
        }

        var tensorType = new ProtoWriter().Int64(1, FloatType).Message(2, dims);
        return new ProtoWriter().String(1, name).Message(2, new ProtoWriter().Message(1, tensorType));
    }
}
