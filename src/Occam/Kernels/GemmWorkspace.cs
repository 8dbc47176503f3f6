namespace Occam.Kernels;

/// <summary>
/// Per-thread pack buffers for <see cref="Gemm"/>, allocated once on the pinned heap, 64-byte aligned,
/// and grown only if a larger kernel asks for more — no allocation per call in steady state.
/// </summary>
internal sealed unsafe class GemmWorkspace
{
    private const int Alignment = 64;

    [ThreadStatic]
    private static GemmWorkspace? _current;

    private float[] _storage = [];
    private int _packedAFloats;
    private int _packedBFloats;
    private int _edgeTileFloats;

    /// <summary>Packed block of op(A).</summary>
    public float* PackedA { get; private set; }

    /// <summary>Packed block of op(B).</summary>
    public float* PackedB { get; private set; }

    /// <summary>Scratch tile for edge tiles that only partly overlap C.</summary>
    public float* EdgeTile { get; private set; }

    /// <summary>The calling thread's workspace, with at least the requested capacities (in floats).</summary>
    public static GemmWorkspace ForCurrentThread(int packedAFloats, int packedBFloats, int edgeTileFloats)
    {
        var workspace = _current ??= new GemmWorkspace();
        workspace.Ensure(packedAFloats, packedBFloats, edgeTileFloats);
        return workspace;
    }

    private void Ensure(int packedAFloats, int packedBFloats, int edgeTileFloats)
    {
        if (packedAFloats <= _packedAFloats && packedBFloats <= _packedBFloats && edgeTileFloats <= _edgeTileFloats)
        {
            return;
        }

        packedAFloats = Math.Max(packedAFloats, _packedAFloats);
        packedBFloats = Math.Max(packedBFloats, _packedBFloats);
        edgeTileFloats = Math.Max(edgeTileFloats, _edgeTileFloats);
        int padding = Alignment / sizeof(float);
        int aSlot = RoundUp(packedAFloats, padding);
        int bSlot = RoundUp(packedBFloats, padding);
        int edgeSlot = RoundUp(edgeTileFloats, padding);

        // The pinned heap never moves the array, so the aligned pointers stay valid for the thread's lifetime.
        _storage = GC.AllocateUninitializedArray<float>(aSlot + bSlot + edgeSlot + padding, pinned: true);
        fixed (float* start = _storage)
        {
            float* aligned = (float*)(((nint)start + (Alignment - 1)) & ~(nint)(Alignment - 1));
            PackedA = aligned;
            PackedB = aligned + aSlot;
            EdgeTile = aligned + aSlot + bSlot;
        }

        _packedAFloats = packedAFloats;
        _packedBFloats = packedBFloats;
        _edgeTileFloats = edgeTileFloats;
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
