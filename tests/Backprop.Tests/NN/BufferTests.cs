using Backprop.NN;

namespace Backprop.Tests.NN;

/// <summary>Module buffers: registered state that is not trained but travels in the state dict, in PyTorch's order.</summary>
public class BufferTests
{
    /// <summary>A module with a child registered between its own parameters and its buffers, as in the PyTorch module below.</summary>
    private sealed class Block : Module
    {
        public Block()
        {
            RegisterParameter("scale", Tensor.Ones([1]));
            Inner = RegisterModule("inner", new InnerModule());
            Count = RegisterBuffer("count", Tensor.Zeros(Shape.Scalar, DType.Int64));
            RegisterBuffer("cache", Tensor.Zeros([3]), persistent: false);
            RegisterParameter("bias", Tensor.Zeros([1]));
        }

        public InnerModule Inner { get; }

        public Tensor Count { get; }

        public override Tensor Forward(Tensor input) => input;
    }

    private sealed class InnerModule : Module
    {
        public InnerModule()
        {
            Total = RegisterBuffer("total", Tensor.Zeros([2]));
            RegisterParameter("w", Tensor.Ones([2]));
        }

        public Tensor Total { get; }

        public override Tensor Forward(Tensor input) => input;
    }

    [Fact]
    public void OrderIsPyTorchs()
    {
        // PyTorch 1.13 with the same registrations (register_buffer('cache', ..., persistent=False)) prints
        // state_dict: ['0.weight', '0.bias', '1.scale', '1.bias', '1.count', '1.inner.w', '1.inner.total'],
        // named_buffers: ['1.count', '1.cache', '1.inner.total'], named_parameters: ['0.weight', '0.bias', '1.scale', '1.bias', '1.inner.w'].
        var model = new Sequential(new Linear(2, 2), new Block());
        Assert.Equal(["0.weight", "0.bias", "1.scale", "1.bias", "1.count", "1.inner.w", "1.inner.total"], model.StateDict().Keys);
        Assert.Equal(["1.count", "1.cache", "1.inner.total"], model.NamedBuffers().Select(b => b.Key));
        Assert.Equal(["0.weight", "0.bias", "1.scale", "1.bias", "1.inner.w"], model.NamedParameters().Select(p => p.Key));
        Assert.Equal(3, model.Buffers().Count());
    }

    [Fact]
    public void StateDictTensorsShareValuesAndNeverRequireGrad()
    {
        var block = new Block();
        var state = block.StateDict();
        Assert.All(state.Values, t => Assert.False(t.RequiresGrad));
        Assert.Equal(DType.Int64, state["count"].DType);
        block.Count.AddInPlace(Tensor.Scalar(5, DType.Int64));
        Assert.Equal(5, state["count"].Item()); // a view of the buffer, as PyTorch's state_dict()
    }

    [Fact]
    public void LoadStateDictLoadsBuffersConvertingDtypes()
    {
        var source = new Block();
        source.Count.FillInPlace(7);
        source.Inner.Total.CopyInPlace(Tensor.FromArray([1.5f, -2f]));
        var target = new Block();
        var state = source.StateDict();
        state["count"] = Tensor.Scalar(7, DType.Float64); // a float count converts into the int64 buffer
        target.LoadStateDict(state);
        Assert.Equal(7, target.Count.Item());
        Assert.Equal(DType.Int64, target.Count.DType);
        Assert.Equal([1.5f, -2f], target.Inner.Total.ToFloatArray());
        Assert.All(target.Parameters(), p => Assert.True(p.RequiresGrad));

        state.Remove("inner.total");
        Assert.Equal("load_state_dict: missing key 'inner.total'", Assert.Throws<ArgumentException>(() => target.LoadStateDict(state)).Message);
        state["inner.total"] = Tensor.Zeros([3]);
        Assert.Equal("load_state_dict: 'inner.total' has shape [3] in the state but [2] in the model",
            Assert.Throws<ArgumentException>(() => target.LoadStateDict(state)).Message);
        state["inner.total"] = Tensor.Zeros([2]);
        state["cache"] = Tensor.Zeros([3]); // not persistent: not part of the state
        Assert.StartsWith("load_state_dict: unexpected key 'cache'", Assert.Throws<ArgumentException>(() => target.LoadStateDict(state)).Message);
    }

    [Fact]
    public void MlpStateDictsAreUnchanged()
    {
        var model = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
        Assert.Equal(model.NamedParameters().Select(p => p.Key), model.StateDict().Keys);
        Assert.Empty(model.Buffers());
    }

    [Fact]
    public void ABufferNeedsAFreshNameAndNoGradient()
    {
        var error = Assert.Throws<ArgumentException>(() => new Duplicate());
        Assert.Equal("module: the name 'w' is already registered", error.Message);
        Assert.Equal("module: buffer 'b' requires grad; a trained tensor is a parameter (RegisterParameter)",
            Assert.Throws<ArgumentException>(() => new Trained()).Message);
    }

    private sealed class Duplicate : Module
    {
        public Duplicate()
        {
            RegisterParameter("w", Tensor.Zeros([1]));
            RegisterBuffer("w", Tensor.Zeros([1]));
        }

        public override Tensor Forward(Tensor input) => input;
    }

    private sealed class Trained : Module
    {
        public Trained()
        {
            var t = Tensor.Zeros([1]);
            t.RequiresGrad = true;
            RegisterBuffer("b", t);
        }

        public override Tensor Forward(Tensor input) => input;
    }
}
