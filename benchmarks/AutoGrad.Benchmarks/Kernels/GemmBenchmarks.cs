using AutoGrad.Kernels;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks.Kernels;

/// <summary>How far is the reference GEMM (row-scaled adds and dot products) from a naive triple loop?</summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] _a = [];
    private float[] _b = [];
    private float[] _c = [];

    [Params(64, 128)]
    public int Size { get; set; }

    [Params(false, true)]
    public bool TransposeB { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new RandomSource(2);
        _a = Tensor.RandomNormal([Size, Size], random).ToArray<float>();
        _b = Tensor.RandomNormal([Size, Size], random).ToArray<float>();
        _c = new float[Size * Size];
    }

    [Benchmark(Baseline = true)]
    public void Naive()
    {
        int n = Size;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0;
                for (int p = 0; p < n; p++)
                {
                    sum += _a[(i * n) + p] * (TransposeB ? _b[(j * n) + p] : _b[(p * n) + j]);
                }

                _c[(i * n) + j] = sum;
            }
        }
    }

    [Benchmark]
    public void AutoGradGemm() => Gemm.Multiply<float>(_a, false, _b, TransposeB, _c, Size, Size, Size, accumulate: false);
}
