using AutoGrad.IO;
using AutoGrad.NN;
using AutoGrad.Optimizers;
using static AutoGrad.Tests.BadInput.BadInputKind;

namespace AutoGrad.Tests.BadInput;

// What is not an error. NaN and ±∞ as data follow IEEE arithmetic, as in PyTorch, without an exception and without touching
// any other tensor (an anomaly-detection mode, later, is the place to catch them); Backward through them throws nothing
// either. A non-finite gradient under NonFiniteGradientPolicy.Skip skips the step.
public static partial class Catalogue
{
    private const float NaN = float.NaN;
    private const float Inf = float.PositiveInfinity;

    private static IEnumerable<AcceptedCase> AcceptedCases()
    {
        foreach ((string entry, string what, float[] input, Func<Tensor, Tensor> op, float[] expected) in new (string, string, float[], Func<Tensor, Tensor>, float[])[]
        {
            ("Tensor.Exp", "exp", [NaN, Inf, -Inf], x => x.Exp(), [NaN, Inf, 0]),
            ("Tensor.Log", "log", [NaN, Inf, 0, -1], x => x.Log(), [NaN, Inf, -Inf, NaN]),
            ("Tensor.Sqrt", "sqrt", [NaN, Inf, -1], x => x.Sqrt(), [NaN, Inf, NaN]),
            ("Tensor.Abs", "abs", [NaN, -Inf], x => x.Abs(), [NaN, Inf]),
            ("Tensor.Negate", "negate", [NaN, Inf], x => x.Negate(), [NaN, -Inf]),
            ("Tensor.Relu", "relu", [NaN, Inf, -Inf], x => x.Relu(), [NaN, Inf, 0]),
            ("Tensor.LeakyRelu", "leaky relu", [NaN, Inf, -Inf], x => x.LeakyRelu(0.5), [NaN, Inf, -Inf]),
            ("Tensor.Tanh", "tanh", [NaN, Inf, -Inf], x => x.Tanh(), [NaN, 1, -1]),
            ("Tensor.Sin", "sin", [NaN, Inf, -Inf, 0], x => x.Sin(), [NaN, NaN, NaN, 0]),
            ("Tensor.Cos", "cos", [NaN, Inf, -Inf, 0], x => x.Cos(), [NaN, NaN, NaN, 1]),
            ("Tensor.Sigmoid", "sigmoid", [NaN, Inf, -Inf], x => x.Sigmoid(), [NaN, 1, 0]),
            ("Tensor.Softplus", "softplus", [NaN, Inf, -Inf], x => x.Softplus(), [NaN, Inf, 0]),
            ("Tensor.Add", "x + NaN and ∞ − ∞", [1, Inf], x => x.Add(Tensor.Create([NaN, -Inf])), [NaN, NaN]),
            ("Tensor.Multiply", "0 · ∞", [0, 2], x => x.Multiply(Tensor.Create([Inf, Inf])), [NaN, Inf]),
            ("Tensor.Divide", "division by 0", [1, -1, 0], x => x.Divide(Tensor.Zeros([3])), [Inf, -Inf, NaN]),
            ("Tensor.Maximum", "maximum with NaN", [NaN, 1], x => x.Maximum(Tensor.Create([1f, NaN])), [NaN, NaN]),
            ("Tensor.Minimum", "minimum with −∞", [NaN, 1], x => x.Minimum(Tensor.Create([-Inf, -Inf])), [NaN, -Inf]),
            ("Tensor.Pow", "pow with a NaN exponent", [2, 1], x => x.Pow(double.NaN), [NaN, 1]),
            ("Tensor.op_Multiply", "x · NaN (a scalar operand)", [2, 3], x => x * double.NaN, [NaN, NaN]),
            ("Tensor.op_Addition", "x + ∞ (a scalar operand)", [2, -Inf], x => x + double.PositiveInfinity, [Inf, NaN]),
            ("Tensor.Sum", "a sum holding ∞ and −∞", [Inf, -Inf, 1], x => x.Sum(), [NaN]),
            ("Tensor.Mean", "a mean holding NaN", [NaN, 1], x => x.Mean(), [NaN]),
            ("Tensor.Max", "a maximum holding NaN", [1, NaN, 3, 2], x => x.Reshape(2, 2).Max(1), [NaN, 3]),
            ("Tensor.Softmax", "softmax of [∞, 0]", [Inf, 0], x => x.Softmax(), [NaN, NaN]),
            ("Tensor.LogSoftmax", "log-softmax of [NaN, 0]", [NaN, 0], x => x.LogSoftmax(), [NaN, NaN]),
            ("Tensor.Dot", "a dot product with ∞", [Inf, 1], x => x.Dot(Tensor.Create([0f, 1])), [NaN]),
            ("Tensor.MatMul", "a matrix product with NaN", [NaN, 1, 2, 3], x => x.Reshape(2, 2).MatMul(Tensor.Ones([2, 1])), [NaN, 5]),
            ("Tensor.Affine", "an affine map with ∞", [Inf, 1], x => x.Reshape(1, 2).Affine(Tensor.Ones([1, 2]), Tensor.Create([-Inf])), [NaN]),
            ("Tensor.MseLoss", "MSE against ∞", [1, 2], x => Tensor.MseLoss(x, Tensor.Create([Inf, 2f])), [Inf]),
            ("Tensor.CrossEntropyLoss", "cross-entropy of NaN logits", [NaN, 0, 1, 2], x => Tensor.CrossEntropyLoss(x.Reshape(2, 2), [0, 1]), [NaN]),
            ("Tensor.ToDType", "float32 ∞ to float64", [Inf, NaN], x => x.ToDType(DType.Float64).ToDType(DType.Float32), [Inf, NaN]),
            ("Losses.BinaryCrossEntropyWithLogits", "BCE of a NaN logit", [NaN, 0], x => Losses.BinaryCrossEntropyWithLogits(x, Tensor.Create([1f, 0])), [NaN]),
            ("Losses.L1", "L1 against ∞", [0, 0], x => Losses.L1(x, Tensor.Create([Inf, 0f]), Reduction.None), [Inf, 0]),
        })
        {
            yield return new AcceptedCase(entry, NonFinite, $"{what}: IEEE values, no exception", a =>
            {
                Tensor x = a.Track(Tensor.Create(input));
                Tensor leaf = Tensor.Create(input).RequireGrad(); // untracked: Backward through the NaN/∞ must not throw
                return () =>
                {
                    Tensor y = op(x);
                    Assert.That(y.ToDType(DType.Float32).ToArray<float>(), Is.EqualTo(expected), "the values IEEE arithmetic gives");
                    Tensor z = op(leaf);
                    z.Backward(Tensor.OnesLike(z));
                    Assert.That(leaf.Grad!.Shape.ToArray(), Is.EqualTo(new[] { input.Length }), "a gradient reached the input");
                };
            });
        }

        yield return new AcceptedCase("Tensor.Full", NonFinite, "Full of NaN and Scalar of ∞ are values", _ => () =>
        {
            Assert.That(Tensor.Full([2], double.NaN).ToArray<float>(), Is.EqualTo(new[] { NaN, NaN }));
            Assert.That(Tensor.Scalar(double.NegativeInfinity).Item(), Is.EqualTo(double.NegativeInfinity));
        });
        yield return new AcceptedCase("Tensor.Scalar", NonFinite, "Scalar of NaN in float64", _ => () => Assert.That(Tensor.Scalar(double.NaN, DType.Float64).Item(), Is.NaN));
        yield return new AcceptedCase("Tensor.AllFinite", NonFinite, "AllFinite tells NaN and ∞ apart from finite values", _ => () =>
        {
            Assert.That(Tensor.Create([1f, NaN]).AllFinite(), Is.False);
            Assert.That(Tensor.Create([-Inf]).AllFinite(), Is.False);
            Assert.That(Tensor.Zeros([0]).AllFinite(), Is.True);
        });
        yield return new AcceptedCase("Init.Constant", NonFinite, "Init.Constant of NaN", a =>
        {
            Tensor p = Tensor.Ones([2]).RequireGrad();
            return () =>
            {
                Init.Constant(p, double.NaN);
                Assert.That(p.ToArray<float>(), Is.EqualTo(new[] { NaN, NaN }));
            };
        });
        yield return new AcceptedCase("Tensor.AddInPlace", NonFinite, "AddInPlace with a scale of NaN", _ =>
        {
            Tensor p = Tensor.Ones([2]);
            return () =>
            {
                p.AddInPlace(Tensor.Ones([2]), double.NaN);
                Assert.That(p.ToArray<float>(), Is.EqualTo(new[] { NaN, NaN }));
            };
        });
        yield return new AcceptedCase("Tensor.Backward", NonFinite, "Backward with a seed holding NaN and ∞", a =>
        {
            Tensor leaf = Tensor.Create([1f, 2f]).RequireGrad();
            Tensor y = leaf * 3;
            Tensor seed = a.Track(Tensor.Create([NaN, Inf]));
            return () =>
            {
                y.Backward(seed);
                Assert.That(leaf.Grad!.ToArray<float>(), Is.EqualTo(new[] { NaN, Inf }));
            };
        });
        yield return new AcceptedCase("Tensor.Detach", Disposed, "Detach of a disposed tensor gives a view that is disposed too", a =>
        {
            Tensor x = a.Disposed(2);
            return () => Assert.That(x.Detach().IsDisposed, Is.True);
        });
        yield return new AcceptedCase("Tensor.ZerosLike", Disposed, "ZerosLike of a disposed tensor reads only its shape", a =>
        {
            Tensor x = a.Disposed(2, 3);
            return () => Assert.That(Tensor.ZerosLike(x).Shape.ToArray(), Is.EqualTo(new[] { 2, 3 }));
        });
        yield return new AcceptedCase("Tensor.Dispose", Disposed, "a second Dispose does nothing", _ => () =>
        {
            Tensor x = Tensor.Ones([2]);
            x.Dispose();
            x.Dispose();
            Assert.That(x.IsDisposed, Is.True);
        });
        yield return new AcceptedCase("Tensor.ToString", Disposed, "ToString of a disposed tensor", a =>
        {
            Tensor x = a.Disposed(2, 3);
            return () => Assert.That(x.ToString(), Does.Contain("<disposed>").And.Contain("[2, 3]"));
        });
        yield return new AcceptedCase("Tensor.Arange", Size, "Arange(5, 0) is empty, as in NumPy", _ => () => Assert.That(Tensor.Arange(5, 0).Shape.ToArray(), Is.EqualTo(new[] { 0 })));
        foreach ((string name, Func<Tensor[], Optimizer> create) in new (string, Func<Tensor[], Optimizer>)[]
        {
            ("Sgd", p => new Sgd(p, 0.1, momentum: 0.9)), ("Adam", p => new Adam(p)), ("AdamW", p => new AdamW(p)),
        })
        {
            yield return new AcceptedCase("Optimizer.Step", NonFinite, $"{name}.Step over a NaN gradient under Skip", a =>
            {
                Tensor w = a.Leaf(2, 3), b = a.Leaf(3);
                Optimizer optimizer = create([w, b]);
                optimizer.NonFiniteGradients = NonFiniteGradientPolicy.Skip;
                using (Tensor.NoGrad())
                {
                    b.Grad!.AddInPlace(Tensor.Create([0f, NaN, 0f]));
                }

                return () =>
                {
                    optimizer.Step();
                    Assert.That((optimizer.StepCount, optimizer.SkippedSteps), Is.EqualTo((0, 1)));
                };
            });
        }

        // A zero axis makes a shape empty whatever its other lengths and their order, as in PyTorch.
        yield return new AcceptedCase("Tensor.Zeros", Size, "Zeros of [2147483647, 0] and [65536, 65536, 0] are empty, as in PyTorch", _ => () =>
        {
            Assert.That(Tensor.Zeros([int.MaxValue, 0]).ElementCount, Is.Zero);
            Assert.That(Tensor.Zeros([65536, 65536, 0]).ElementCount, Is.Zero);
        });
        yield return new AcceptedCase("Tensor.Transpose", Size, "Transpose of the empty [0, 2147483647]", a =>
        {
            Tensor x = a.Leaf(0, int.MaxValue);
            return () => Assert.That(x.Transpose().Shape.ToArray(), Is.EqualTo(new[] { int.MaxValue, 0 }));
        });
        yield return new AcceptedCase("Tensor.Sum", Size, "Sum along the long axis of the empty [2147483647, 0]", a =>
        {
            Tensor x = a.Leaf(int.MaxValue, 0);
            return () => Assert.That(x.Sum(0).Shape.ToArray(), Is.EqualTo(new[] { 0 }));
        });
        yield return new AcceptedCase("Tensor.Add", Size, "[65536, 1, 0] + [1, 65536, 1] is the empty [65536, 65536, 0]", a =>
        {
            Tensor x = a.Leaf(65536, 1, 0), y = a.Leaf(1, 65536, 1);
            return () => Assert.That((x + y).Shape.ToArray(), Is.EqualTo(new[] { 65536, 65536, 0 }));
        });
        yield return new AcceptedCase("Tensor.MatMul", Size, "[0, 2147483647]·[2147483647, 0] is the empty [0, 0]", a =>
        {
            Tensor x = a.Leaf(0, int.MaxValue), y = a.Leaf(int.MaxValue, 0);
            return () => Assert.That(x.MatMul(y).Shape.ToArray(), Is.EqualTo(new[] { 0, 0 }));
        });
        yield return new AcceptedCase("Tensor.Reshape", Size, "Reshape of the empty [2147483647, 0] into [0, 2147483647]", a =>
        {
            Tensor x = a.Leaf(int.MaxValue, 0);
            return () => Assert.That(x.Reshape(0, int.MaxValue).Shape.ToArray(), Is.EqualTo(new[] { 0, int.MaxValue }));
        });
        yield return new AcceptedCase("Tensor.ToString", Size, "ToString of the empty [2147483647, 0]", a =>
        {
            Tensor x = a.Leaf(int.MaxValue, 0);
            return () => Assert.That(x.ToString(), Is.EqualTo("tensor([], shape=[2147483647, 0], dtype=float32, requiresGrad=true)"));
        });
        yield return new AcceptedCase("SafeTensors.Load", Size, "Load of an empty tensor of shape [2147483647, 0]", _ => () =>
        {
            using var stream = new MemoryStream();
            SafeTensors.Save(stream, [new("empty", Tensor.Zeros([int.MaxValue, 0]))]);
            stream.Position = 0;
            Assert.That(SafeTensors.Load(stream).Tensors["empty"].Shape.ToArray(), Is.EqualTo(new[] { int.MaxValue, 0 }));
        });
    }
}
