using System.Runtime.InteropServices;
using AutoGrad.NN;
using AutoGrad.Optimizers;

namespace AutoGrad.Tests.BadInput;

/// <summary>
/// The world one catalogue case runs in: every tensor, module and optimizer the case gets from here is snapshot as it is
/// handed out (or at <see cref="Checkpoint"/>), so that <see cref="AssertUnchanged"/> can prove, after the rejected call,
/// that no value, gradient, version counter, parameter or optimizer state moved, and that the graphs still differentiate.
/// </summary>
public sealed class Arena
{
    private readonly RandomSource _random = new(seed: 6);
    private readonly List<(Tensor Tensor, TensorState State)> _tracked = [];
    private readonly List<(Tensor Leaf, Tensor Output, long[] ExpectedGrad)> _graphs = [];
    private readonly List<(Optimizer Optimizer, Optimizer Twin, Tensor[] Parameters, Tensor[] TwinParameters)> _optimizers = [];
    private readonly List<Action> _afterwards = [];

    /// <summary>Opens the arena with one pending graph of its own, a probe that the case cannot touch.</summary>
    public Arena() => _ = Recorded(2);

    /// <summary>A seeded source for modules and initializers; not tracked.</summary>
    public RandomSource Random => _random;

    /// <summary>A float32 leaf that requires a gradient and already has one, from an earlier Backward.</summary>
    public Tensor Leaf(params int[] shape) => Track(NewLeaf(shape, DType.Float32));

    /// <summary>As <see cref="Leaf"/>, in float64.</summary>
    public Tensor Leaf64(params int[] shape) => Track(NewLeaf(shape, DType.Float64));

    /// <summary>A float32 tensor that requires no gradient (data).</summary>
    public Tensor Data(params int[] shape) => Track(Tensor.RandomNormal(shape, _random));

    /// <summary>As <see cref="Data"/>, in float64.</summary>
    public Tensor Data64(params int[] shape) => Track(Tensor.RandomNormal(shape, _random, dtype: DType.Float64));

    /// <summary>A float32 tensor holding <paramref name="values"/>, requiring no gradient.</summary>
    public Tensor Values(params float[] values) => Track(Tensor.Create(values));

    /// <summary>
    /// <c>2 · leaf</c>: an op's result whose graph is still pending. After the case, Backward through it must still give
    /// the leaf its old gradient plus 2 at every element.
    /// </summary>
    public Tensor Recorded(params int[] shape)
    {
        Tensor leaf = Leaf(shape);
        Tensor output = Track(leaf * 2);
        float[] expected = [.. leaf.Grad!.ToArray<float>().Select(g => g + 2f)];
        _graphs.Add((leaf, output, [.. expected.Select(v => (long)BitConverter.SingleToInt32Bits(v))]));
        return output;
    }

    /// <summary>A float32 tensor whose storage has gone back to the pool (its scope ended).</summary>
    public Tensor Disposed(params int[] shape)
    {
        Tensor tensor;
        using (Tensor.Scope())
        {
            tensor = Tensor.RandomNormal(shape, _random);
        }

        return Track(tensor);
    }

    /// <summary>A leaf that requires a gradient and whose gradient has been disposed (<c>ZeroGrad(setToNone)</c> after a reference was kept).</summary>
    public Tensor LeafWithDisposedGrad(params int[] shape)
    {
        Tensor leaf = NewLeaf(shape, DType.Float32);
        leaf.Grad!.Dispose();
        return Track(leaf);
    }

    /// <summary>Tracks <paramref name="module"/>'s parameters, each given a gradient first.</summary>
    public TModule Module<TModule>(TModule module)
        where TModule : Module
    {
        foreach (Tensor parameter in module.Parameters())
        {
            (parameter * parameter).Sum().Backward();
            Track(parameter);
        }

        return module;
    }

    /// <summary>
    /// An optimizer over two fresh parameters with gradients, after one step (so it has state). A twin over equal copies has
    /// taken the same step; after the case both step once more and must land on the same bits, which proves the rejected
    /// call left the optimizer's state (running means, step counts, momentum buffers) alone.
    /// </summary>
    public TOptimizer Optimizer<TOptimizer>(Func<Tensor[], TOptimizer> create)
        where TOptimizer : Optimizer
    {
        Tensor[] parameters = [NewLeaf([2, 3], DType.Float32), NewLeaf([3], DType.Float32)];
        Tensor[] twins = [.. parameters.Select(Twin)];
        TOptimizer optimizer = create(parameters);
        TOptimizer twin = create(twins);
        optimizer.Step();
        twin.Step();
        foreach (Tensor parameter in parameters)
        {
            Track(parameter);
        }

        _optimizers.Add((optimizer, twin, parameters, twins));
        return optimizer;
    }

    /// <summary>A random source that must not be drawn from: after the case, its next number must be its first.</summary>
    public RandomSource Source()
    {
        var source = new RandomSource(seed: 99);
        Afterwards(() => Assert.That(source.NextUInt64(), Is.EqualTo(new RandomSource(seed: 99).NextUInt64()), "nothing was drawn from the random source"));
        return source;
    }

    /// <summary>Adds a check of the case's own to <see cref="AssertUnchanged"/> (a stream left empty, a file left alone).</summary>
    public void Afterwards(Action check) => _afterwards.Add(check);

    /// <summary>Starts tracking <paramref name="tensor"/> as it is now.</summary>
    public Tensor Track(Tensor tensor)
    {
        _tracked.Add((tensor, TensorState.Of(tensor)));
        return tensor;
    }

    /// <summary>Snapshots every tracked tensor again: for cases whose setup changes them on purpose (a first Backward).</summary>
    public void Checkpoint()
    {
        for (int i = 0; i < _tracked.Count; i++)
        {
            _tracked[i] = (_tracked[i].Tensor, TensorState.Of(_tracked[i].Tensor));
        }
    }

    /// <summary>Asserts that nothing tracked changed, that the thread's modes are as before, and that the graphs and optimizers still work.</summary>
    public void AssertUnchanged()
    {
        Assert.That(Tensor.IsGradEnabled, Is.True, "gradient recording is still on");
        Assert.That(BufferPool.Current.InnermostScope, Is.Null, "no TensorScope was left open");
        foreach ((Tensor tensor, TensorState before) in _tracked)
        {
            TensorState after = TensorState.Of(tensor);
            Assert.That(TensorState.Differences(before, after), Is.Empty, $"a tensor of shape {Shapes.Format(tensor.Shape)} changed");
        }

        foreach (Action check in _afterwards)
        {
            check();
        }

        foreach ((Optimizer optimizer, Optimizer twin, Tensor[] parameters, Tensor[] twins) in _optimizers)
        {
            Assert.That((optimizer.StepCount, optimizer.SkippedSteps, optimizer.LearningRate), Is.EqualTo((twin.StepCount, twin.SkippedSteps, twin.LearningRate)));
            optimizer.Step();
            twin.Step();
            for (int i = 0; i < parameters.Length; i++)
            {
                Assert.That(TestTensorBits(parameters[i]), Is.EqualTo(TestTensorBits(twins[i])), $"{optimizer.GetType().Name}'s next step matches a twin's");
            }
        }

        foreach ((Tensor leaf, Tensor output, long[] expected) in _graphs)
        {
            output.Sum().Backward();
            Assert.That(TestTensorBits(leaf.Grad!), Is.EqualTo(expected), "Backward through a pending graph still works");
        }
    }

    private static long[] TestTensorBits(Tensor tensor) => Support.TestTensors.Bits(tensor);

    private Tensor NewLeaf(int[] shape, DType dtype)
    {
        Tensor leaf = Tensor.RandomNormal(shape, _random, dtype: dtype).RequireGrad();
        (leaf * leaf).Sum().Backward();
        return leaf;
    }

    private static Tensor Twin(Tensor parameter)
    {
        Tensor twin = Tensor.Create(parameter.ToArray<float>(), parameter.Shape).RequireGrad();
        (twin * twin).Sum().Backward();
        return twin;
    }

    /// <summary>What a tensor looks like from outside, bit for bit, plus its version counter.</summary>
    private sealed record TensorState(
        bool Disposed, string Shape, DType DType, bool RequiresGrad, bool IsLeaf, int Version, byte[]? Data, Tensor? Grad, byte[]? GradData)
    {
        public static TensorState Of(Tensor tensor)
        {
            Tensor? grad = tensor.Grad;
            return new(
                tensor.IsDisposed, Shapes.Format(tensor.Shape), tensor.DType, tensor.RequiresGrad, tensor.IsLeaf, tensor.Version,
                Bytes(tensor), grad, grad is null ? null : Bytes(grad));
        }

        public static List<string> Differences(TensorState a, TensorState b)
        {
            var differences = new List<string>();
            Check(a.Disposed == b.Disposed, $"disposed {a.Disposed} -> {b.Disposed}");
            Check(a.Shape == b.Shape && a.DType == b.DType, $"shape {a.Shape} {a.DType} -> {b.Shape} {b.DType}");
            Check(a.RequiresGrad == b.RequiresGrad, $"requiresGrad {a.RequiresGrad} -> {b.RequiresGrad}");
            Check(a.IsLeaf == b.IsLeaf, $"isLeaf {a.IsLeaf} -> {b.IsLeaf}");
            Check(a.Version == b.Version, $"version {a.Version} -> {b.Version}");
            Check(SameBytes(a.Data, b.Data), "values");
            Check(ReferenceEquals(a.Grad, b.Grad), "gradient tensor replaced");
            Check(SameBytes(a.GradData, b.GradData), "gradient values");
            return differences;

            void Check(bool same, string what)
            {
                if (!same)
                {
                    differences.Add(what);
                }
            }
        }

        private static bool SameBytes(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

        private static byte[]? Bytes(Tensor tensor) => tensor.IsDisposed
            ? null
            : tensor.DType switch
            {
                DType.Float32 => MemoryMarshal.AsBytes(tensor.AsReadOnlySpan<float>()).ToArray(),
                _ => MemoryMarshal.AsBytes(tensor.AsReadOnlySpan<double>()).ToArray(),
            };
    }
}
