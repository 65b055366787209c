namespace Backprop.NN;

/// <summary>
/// The ONNX graph calls an activation's catalog row needs to export itself. The ONNX exporter (IO) implements it, so the
/// catalog names no type from the floor above.
/// </summary>
internal interface IOnnxGraph
{
    /// <summary>ONNX's code for float32 (TensorProto.DataType.FLOAT), for Cast's <c>to</c>.</summary>
    const int FloatType = 1;

    /// <summary>Adds a node of <paramref name="op"/> whose output is named <paramref name="output"/>; attributes are floats or ints.</summary>
    string Node(string op, IEnumerable<string> inputs, string output, params (string Name, object Value)[] attributes);

    /// <summary>A float32 scalar initializer; returns its name.</summary>
    string Constant(string name, float value);
}
