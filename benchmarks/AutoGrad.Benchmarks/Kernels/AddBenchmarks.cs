using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks.Kernels;

/// <summary>Does the element-wise Add path (TensorPrimitives under the op) beat a scalar loop, and what does the op layer cost?</summary>
[MemoryDiagnoser]
public class AddBenchmarks
{
    private float[] _x = [];
    private float[] _y = [];
    private float[] _z = [];
    private Tensor _a = null!;
    private Tensor _b = null!;

    /// <summary>Lengths that do not divide the vector width, from L1-resident to beyond L2.</summary>
    [Params(1000, 4099, 65537)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new RandomSource(1);
        _a = Tensor.RandomNormal([Length], random);
        _b = Tensor.RandomNormal([Length], random);
        _x = _a.ToArray<float>();
        _y = _b.ToArray<float>();
        _z = new float[Length];
    }

    [Benchmark(Baseline = true)]
    public void ScalarLoop()
    {
        float[] x = _x, y = _y, z = _z;
        for (int i = 0; i < z.Length; i++)
        {
            z[i] = x[i] + y[i];
        }
    }

    [Benchmark]
    public void TensorPrimitivesAdd() => System.Numerics.Tensors.TensorPrimitives.Add(_x, _y, _z);

    /// <summary>The whole op: result allocation, shape checks, dispatch (not recorded: no input requires a gradient).</summary>
    [Benchmark]
    public Tensor TensorAdd() => _a.Add(_b);
}
