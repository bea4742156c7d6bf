using AutoGrad.Kernels;

namespace AutoGrad.Benchmarks.Kernels;

/// <summary>
/// One float32 product <c>C[m×n] = op(A)·op(B)</c>, named as "NN 64x128x784": the mode (N or T for each operand,
/// T meaning it is stored transposed) and m×n×k.
/// </summary>
internal sealed class GemmCase
{
    private readonly float[] _a;
    private readonly float[] _b;
    private readonly float[] _c;

    public GemmCase(string shape)
    {
        string[] parts = shape.Split(' ');
        int[] sizes = [.. parts[1].Split('x').Select(int.Parse)];
        (M, N, K) = (sizes[0], sizes[1], sizes[2]);
        TransposeA = parts[0][0] == 'T';
        TransposeB = parts[0][1] == 'T';
        var random = new Random(2);
        _a = [.. Enumerable.Range(0, M * K).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        _b = [.. Enumerable.Range(0, K * N).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        _c = new float[M * N];
    }

    /// <summary>The square sizes and the shapes of a 784-128-10 MLP's layers at batch 64, forward and backward.</summary>
    public static IEnumerable<string> Shapes =>
    [
        "NN 64x64x64", "NN 128x128x128", "NN 256x256x256", "NN 512x512x512", "NN 1024x1024x1024",
        "NN 64x128x784", "TN 64x128x784", "NT 64x128x784",
        "NN 64x10x128", "TN 64x10x128", "NT 64x10x128",
    ];

    public int M { get; }

    public int N { get; }

    public int K { get; }

    public bool TransposeA { get; }

    public bool TransposeB { get; }

    public static double Flops(string shape)
    {
        int[] sizes = [.. shape.Split(' ')[1].Split('x').Select(int.Parse)];
        return 2.0 * sizes[0] * sizes[1] * sizes[2];
    }

    /// <summary>The textbook triple loop, one dot product per element of C.</summary>
    public void Naive()
    {
        float[] a = _a, b = _b, c = _c;
        int m = M, n = N, k = K;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float aip = TransposeA ? a[(p * m) + i] : a[(i * k) + p];
                    float bpj = TransposeB ? b[(j * k) + p] : b[(p * n) + j];
                    sum += aip * bpj;
                }

                c[(i * n) + j] = sum;
            }
        }
    }

    public void AutoGrad() => Gemm.Multiply<float>(_a, TransposeA, _b, TransposeB, _c, M, N, K, accumulate: false);
}
