using AutoGrad.Kernels;
using AutoGrad.Tests.Support;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// <see cref="Tensor.MatMul"/> and <see cref="Tensor.Affine"/>, forward and every gradient, over shapes that put
/// each tile remainder of <see cref="Gemm"/> in each of the products' roles, against float64 triple loops of the
/// closed forms: <c>C = A·B</c>, <c>dA = G·Bᵀ</c>, <c>dB = Aᵀ·G</c>; <c>z = x·Wᵀ + b</c>, <c>dx = G·W</c>,
/// <c>dW = Gᵀ·x</c>, <c>db = Σₙ G[n, :]</c>.
/// </summary>
/// <remarks>
/// Each product of the three has its own (m, n, k): the forward's rows are A's, the weight gradient's rows are the
/// inner length. Sweeping each of M, N and K over every remainder reaches every tile remainder in every role. Two
/// backward passes over two graphs check that the second adds into the first (Gemm's accumulate mode). The kernels
/// are forced as in <see cref="Kernels.GemmRemainderSweepTests{T}"/>, so the 8-row tiling is checked on any machine.
/// </remarks>
[TestFixture(nameof(GemmKernel.Machine), DType.Float32)]
[TestFixture(nameof(GemmKernel.Machine), DType.Float64)]
[TestFixture(nameof(GemmKernel.Tiles256), DType.Float32)]
[TestFixture(nameof(GemmKernel.Tiles256), DType.Float64)]
[TestFixture(nameof(GemmKernel.Tiles512), DType.Float32)]
[TestFixture(nameof(GemmKernel.Tiles512), DType.Float64)]
public sealed class ProductRemainderSweepTests(string kernelName, DType dtype)
{
    private readonly GemmKernel _kernel = Enum.Parse<GemmKernel>(kernelName);

    private Gemm.ForcedKernel _forced;

    private double Tolerance => dtype == DType.Float32 ? 1e-5 : 1e-13;

    [SetUp]
    public void ForceKernel() => _forced = Gemm.Force(_kernel);

    [TearDown]
    public void RestoreKernel() => _forced.Dispose();

    [Test]
    public void MatMul_and_its_gradients_on_every_remainder()
    {
        var failures = new List<string>();
        foreach ((int m, int n, int k) in Shapes())
        {
            int seed = (((m * 7919) + n) * 104729) + k;
            Tensor a = Random([m, k], seed).RequireGrad();
            Tensor b = Random([k, n], seed + 1).RequireGrad();
            Tensor g1 = Random([m, n], seed + 2), g2 = Random([m, n], seed + 3);

            Tensor c = a.MatMul(b);
            c.Backward(g1);
            a.MatMul(b).Backward(g2);

            double[] av = Values(a), bv = Values(b), gv = Sum(Values(g1), Values(g2));
            string shape = $"[{m}, {k}]·[{k}, {n}]";
            Compare(failures, $"{shape} C", Values(c), Product(av, bv, m, n, k, transposeA: false, transposeB: false));
            Compare(failures, $"{shape} dA", Values(a.Grad!), Product(gv, bv, m, k, n, transposeA: false, transposeB: true));
            Compare(failures, $"{shape} dB", Values(b.Grad!), Product(av, gv, k, n, m, transposeA: true, transposeB: false));
        }

        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void Affine_and_its_gradients_on_every_remainder()
    {
        var failures = new List<string>();
        foreach ((int batch, int outputs, int inputs) in Shapes())
        {
            int seed = (((batch * 7919) + outputs) * 104729) + inputs;
            Tensor x = Random([batch, inputs], seed).RequireGrad();
            Tensor w = Random([outputs, inputs], seed + 1).RequireGrad();
            Tensor b = Random([outputs], seed + 2).RequireGrad();
            Tensor g1 = Random([batch, outputs], seed + 3), g2 = Random([batch, outputs], seed + 4);

            Tensor z = x.Affine(w, b);
            z.Backward(g1);
            x.Affine(w, b).Backward(g2);

            double[] xv = Values(x), wv = Values(w), bv = Values(b), gv = Sum(Values(g1), Values(g2));
            (double Value, double Magnitude)[] expectedZ = Product(xv, wv, batch, outputs, inputs, transposeA: false, transposeB: true);
            for (int i = 0; i < expectedZ.Length; i++)
            {
                double bias = bv[i % outputs];
                expectedZ[i] = (expectedZ[i].Value + bias, expectedZ[i].Magnitude + Math.Abs(bias));
            }

            var expectedBias = new (double, double)[outputs];
            for (int j = 0; j < outputs; j++)
            {
                double sum = 0, magnitude = 0;
                for (int r = 0; r < batch; r++)
                {
                    sum += gv[(r * outputs) + j];
                    magnitude += Math.Abs(gv[(r * outputs) + j]);
                }

                expectedBias[j] = (sum, magnitude);
            }

            string shape = $"x [{batch}, {inputs}], W [{outputs}, {inputs}]";
            Compare(failures, $"{shape} z", Values(z), expectedZ);
            Compare(failures, $"{shape} dx", Values(x.Grad!), Product(gv, wv, batch, inputs, outputs, transposeA: false, transposeB: false));
            Compare(failures, $"{shape} dW", Values(w.Grad!), Product(gv, xv, outputs, inputs, batch, transposeA: true, transposeB: false));
            Compare(failures, $"{shape} db", Values(b.Grad!), expectedBias);
        }

        Assert.That(failures, Is.Empty);
    }

    /// <summary>
    /// Each of M, N and K over every row remainder of both tilings and the column tiles' edges, the others fixed at
    /// odd lengths (21 and 45: 5 mod 8, 3 mod 6, 21 and 13 mod 32); every row remainder past one row block; and the
    /// reported <c>Linear(784, 128)</c> at batch 30.
    /// </summary>
    private IEnumerable<(int M, int N, int K)> Shapes()
    {
        GemmKernel kernel = GemmShapes.PackedKernel(_kernel);
        GemmBlocking blocking = dtype == DType.Float32 ? Gemm.BlockingOf<float>(kernel) : Gemm.BlockingOf<double>(kernel);
        int columns = blocking.TileColumns;
        int[] lengths = [.. Enumerable.Range(1, GemmShapes.MaximumTileRows(blocking)), columns - 1, columns, columns + 1, (2 * columns) + 1];
        foreach (int length in lengths)
        {
            yield return (length, 21, 45);
            yield return (21, length, 45);
            yield return (21, 45, length);
        }

        for (int r = 0; r <= blocking.TileRows; r++)
        {
            yield return (blocking.RowBlock + r, 13, 9);
        }

        yield return (30, 128, 784);
    }

    private Tensor Random(int[] shape, int seed) => Tensor.RandomUniform(shape, new RandomSource(seed), -1, 1, dtype);

    private static double[] Values(Tensor t) => t.ToDType(DType.Float64).ToArray<double>();

    private static double[] Sum(double[] x, double[] y) => [.. x.Zip(y, (u, v) => u + v)];

    private static (double Value, double Magnitude)[] Product(double[] a, double[] b, int m, int n, int k, bool transposeA, bool transposeB)
        => ReferenceProduct.Compute(a, transposeA, b, transposeB, null, m, n, k);

    private void Compare(List<string> failures, string what, double[] actual, (double Value, double Magnitude)[] expected)
    {
        int wrong = 0;
        string first = "";
        for (int i = 0; i < expected.Length; i++)
        {
            if (!(Math.Abs(actual[i] - expected[i].Value) <= Tolerance * expected[i].Magnitude))
            {
                if (wrong++ == 0)
                {
                    first = $"[{i}] = {actual[i]}, expected {expected[i].Value}";
                }
            }
        }

        if (wrong > 0 || actual.Length != expected.Length)
        {
            failures.Add($"{what}: {wrong} of {expected.Length} wrong, first {first}");
        }
    }
}
