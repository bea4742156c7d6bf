using static AutoGrad.Tests.BadInput.BadInputKind;

namespace AutoGrad.Tests.BadInput;

// Factories, reading, in-place updates, and the tape: Backward, RequiresGrad, Jacobian and GradientCheck.
public static partial class Catalogue
{
    private static IEnumerable<BadInputCase> FactoryCases()
    {
        foreach ((string op, Func<int[], Tensor> create) in new (string, Func<int[], Tensor>)[]
        {
            ("Zeros", s => Tensor.Zeros(s)), ("Ones", s => Tensor.Ones(s)), ("Full", s => Tensor.Full(s, 2)),
            ("RandomNormal", s => Tensor.RandomNormal(s, new RandomSource(1))), ("RandomUniform", s => Tensor.RandomUniform(s, new RandomSource(1))),
            ("Create", s => Tensor.Create(ReadOnlySpan<float>.Empty, s)),
        })
        {
            foreach (int[] shape in new int[][] { [2, -3], [-1], [-1, 0] })
            {
                yield return Rejects<ArgumentException>($"Tensor.{op}", Size, $"{op} of shape {Shapes.Format(shape)}", [op, Shapes.Format(shape), "negative"], _ => () => create(shape));
            }

            yield return Rejects<ArgumentException>($"Tensor.{op}", Size, $"{op} of shape [65536, 65536]", [op, "[65536, 65536]", "more elements"], _ => () => create([65536, 65536]));
        }

        foreach ((string op, Func<DType, Tensor> create) in new (string, Func<DType, Tensor>)[]
        {
            ("Zeros", d => Tensor.Zeros([2], d)), ("Ones", d => Tensor.Ones([2], d)), ("Full", d => Tensor.Full([2], 1, d)),
            ("Scalar", d => Tensor.Scalar(1, d)), ("Arange", d => Tensor.Arange(0, 3, 1, d)),
            ("RandomNormal", d => Tensor.RandomNormal([2], new RandomSource(1), dtype: d)),
            ("RandomUniform", d => Tensor.RandomUniform([2], new RandomSource(1), dtype: d)),
        })
        {
            yield return Rejects<ArgumentOutOfRangeException>($"Tensor.{op}", BadInputKind.DType, $"{op} of undefined element type 2", [op, "2", "dtype"], _ => () => create((DType)2));
        }

        yield return Rejects<ArgumentException>("Tensor.Create", ShapeMismatch, "Create of 5 values in shape [2, 3]", ["Create", "5 values", "[2, 3]"], _ => () => Tensor.Create(new float[5], [2, 3]));
        yield return Rejects<ArgumentException>("Tensor.Create", ShapeMismatch, "Create of 1 double in shape []... of 2", ["Create", "2 values", "[]"], _ => () => Tensor.Create(new double[2], []));
        yield return Rejects<ArgumentNullException>("Tensor.Create", Null, "Create of a null float[]", ["values"], _ => () => Tensor.Create((float[])null!));
        yield return Rejects<ArgumentNullException>("Tensor.Create", Null, "Create of a null double[]", ["values"], _ => () => Tensor.Create((double[])null!));
        yield return Rejects<ArgumentNullException>("Tensor.Create", Null, "Create of a null System.Numerics.Tensors.Tensor<float>", ["source"], _ => () => Tensor.Create((System.Numerics.Tensors.Tensor<float>)null!));
        yield return Rejects<ArgumentNullException>("Tensor.Create", Null, "Create of a null System.Numerics.Tensors.Tensor<double>", ["source"], _ => () => Tensor.Create((System.Numerics.Tensors.Tensor<double>)null!));
        yield return Rejects<ArgumentNullException>("Tensor.Create", Null, "Create of a null float[,]", ["values"], _ => () => Tensor.Create((float[,])null!));
        yield return Rejects<ArgumentNullException>("Tensor.Create", Null, "Create of a null double[,]", ["values"], _ => () => Tensor.Create((double[,])null!));
        yield return Rejects<ArgumentNullException>("Tensor.ZerosLike", Null, "ZerosLike of null", ["like"], _ => () => Tensor.ZerosLike(null!));
        yield return Rejects<ArgumentNullException>("Tensor.OnesLike", Null, "OnesLike of null", ["like"], _ => () => Tensor.OnesLike(null!));
        yield return Rejects<ArgumentNullException>("Tensor.RandomNormal", Null, "RandomNormal from a null source", ["random"], _ => () => Tensor.RandomNormal([2], null!));
        yield return Rejects<ArgumentNullException>("Tensor.RandomUniform", Null, "RandomUniform from a null source", ["random"], _ => () => Tensor.RandomUniform([2], null!));

        foreach ((double start, double stop, double step, string parameter) in new (double, double, double, string)[]
        {
            (0, 1, 0, "step"), (0, 1, double.NaN, "step"), (0, 1, double.PositiveInfinity, "step"), (0, double.PositiveInfinity, 1, "stop"),
            (double.NaN, 1, 1, "start"), (double.NegativeInfinity, 0, 1, "start"),
        })
        {
            yield return Rejects<ArgumentOutOfRangeException>("Tensor.Arange", step == 0 ? Size : NonFinite, $"Arange({start}, {stop}, {step})", ["Arange", parameter, $"step {step}"], _ => () => Tensor.Arange(start, stop, step));
        }

        yield return Rejects<ArgumentException>("Tensor.Arange", Size, "Arange(0, 1e10)", ["Arange", "more than an array"], _ => () => Tensor.Arange(0, 1e10));
        yield return Rejects<ArgumentException>("Tensor.Arange", Size, "Arange(int.MaxValue)", ["Arange", "more than an array"], _ => () => Tensor.Arange(int.MaxValue));

        foreach ((double mean, double deviation, string parameter, BadInputKind kind) in new (double, double, string, BadInputKind)[]
        {
            (0, -1, "standardDeviation", Hyperparameter), (0, double.NaN, "standardDeviation", NonFinite), (0, double.PositiveInfinity, "standardDeviation", NonFinite),
            (double.NaN, 1, "mean", NonFinite), (double.NegativeInfinity, 1, "mean", NonFinite),
        })
        {
            yield return Rejects<ArgumentOutOfRangeException>("Tensor.RandomNormal", kind, $"RandomNormal with mean {mean} and deviation {deviation}", ["RandomNormal", parameter], a =>
            {
                RandomSource source = a.Source();
                return () => Tensor.RandomNormal([2, 3], source, mean, deviation);
            });
        }

        foreach ((double low, double high, string parameter, BadInputKind kind) in new (double, double, string, BadInputKind)[]
        {
            (1, 0, "high", Hyperparameter), (0, double.NaN, "high", NonFinite), (0, double.PositiveInfinity, "high", NonFinite), (double.NaN, 1, "low", NonFinite),
            (double.NegativeInfinity, 0, "low", NonFinite),
        })
        {
            yield return Rejects<ArgumentOutOfRangeException>("Tensor.RandomUniform", kind, $"RandomUniform on [{low}, {high})", ["RandomUniform", parameter], a =>
            {
                RandomSource source = a.Source();
                return () => Tensor.RandomUniform([2, 3], source, low, high);
            });
        }

        // A zero axis makes a shape empty, but neither hides a negative length after it nor lets a count overflow before it matters.
        foreach ((string op, Func<int[], Tensor> create) in new (string, Func<int[], Tensor>)[]
        {
            ("Zeros", s => Tensor.Zeros(s)), ("Ones", s => Tensor.Ones(s)), ("Full", s => Tensor.Full(s, 2)),
            ("RandomNormal", s => Tensor.RandomNormal(s, new RandomSource(1))), ("RandomUniform", s => Tensor.RandomUniform(s, new RandomSource(1))),
            ("Create", s => Tensor.Create(ReadOnlySpan<float>.Empty, s)),
        })
        {
            foreach (int[] shape in new int[][] { [0, -1], [int.MaxValue, 0, -2] })
            {
                yield return Rejects<ArgumentException>($"Tensor.{op}", Size, $"{op} of shape {Shapes.Format(shape)}", [op, Shapes.Format(shape), "negative"], _ => () => create(shape));
            }

            yield return Rejects<ArgumentException>($"Tensor.{op}", Size, $"{op} of shape [2147483647, 2]", [op, "[2147483647, 2]", "more elements"], _ => () => create([int.MaxValue, 2]));
        }
    }

    private static IEnumerable<BadInputCase> ReadingCases()
    {
        yield return Rejects<InvalidOperationException>("Tensor.Item", Size, "Item of [2, 3]", ["Item", "[2, 3]"], a => { Tensor x = a.Recorded(2, 3); return () => x.Item(); });
        yield return Rejects<InvalidOperationException>("Tensor.Item", Size, "Item of [0]", ["Item", "[0]"], a => { Tensor x = a.Leaf(0); return () => x.Item(); });
        yield return Rejects<ObjectDisposedException>("Tensor.Item", Disposed, "Item of a disposed [1]", ["Item", "[1]", "disposed"], a => { Tensor x = a.Disposed(1); return () => x.Item(); });
        yield return Rejects<ArgumentException>("Tensor.get_Element", WrongRank, "x[1] of [2, 3]", ["Indexer", "1 indices", "[2, 3]"], a => { Tensor x = a.Recorded(2, 3); return () => _ = x[1]; });
        yield return Rejects<ArgumentException>("Tensor.get_Element", WrongRank, "x[0, 0, 0] of [2, 3]", ["Indexer", "3 indices", "[2, 3]"], a => { Tensor x = a.Recorded(2, 3); return () => _ = x[0, 0, 0]; });
        yield return Rejects<ArgumentOutOfRangeException>("Tensor.get_Element", OutOfRange, "x[2, 0] of [2, 3]", ["Indexer", "index 2", "axis 0", "length 2"], a => { Tensor x = a.Recorded(2, 3); return () => _ = x[2, 0]; });
        yield return Rejects<ArgumentOutOfRangeException>("Tensor.get_Element", OutOfRange, "x[0, -4] of [2, 3]", ["Indexer", "index -4", "axis 1", "length 3"], a => { Tensor x = a.Recorded(2, 3); return () => _ = x[0, -4]; });
        yield return Rejects<ObjectDisposedException>("Tensor.get_Element", Disposed, "x[0] of a disposed [2]", ["Indexer", "[2]", "disposed"], a => { Tensor x = a.Disposed(2); return () => _ = x[0]; });
        yield return Rejects<InvalidOperationException>("Tensor.ToArray", BadInputKind.DType, "ToArray<double> of a float32 [2, 3]", ["ToArray", "float32", "[2, 3]"], a => { Tensor x = a.Leaf(2, 3); return () => x.ToArray<double>(); });
        yield return Rejects<InvalidOperationException>("Tensor.AsReadOnlySpan", BadInputKind.DType, "AsReadOnlySpan<float> of a float64 [3]", ["AsReadOnlySpan", "float64", "[3]"], a => { Tensor x = a.Leaf64(3); return () => x.AsReadOnlySpan<float>(); });
        yield return Rejects<ObjectDisposedException>("Tensor.ToArray", Disposed, "ToArray of a disposed [2]", ["ToArray", "[2]", "disposed"], a => { Tensor x = a.Disposed(2); return () => x.ToArray<float>(); });
        yield return Rejects<ObjectDisposedException>("Tensor.AllFinite", Disposed, "AllFinite of a disposed [2]", ["AllFinite", "[2]", "disposed"], a => { Tensor x = a.Disposed(2); return () => x.AllFinite(); });
        yield return Rejects<InvalidOperationException>("Tensor.AsReadOnlyTensorSpan", BadInputKind.DType, "AsReadOnlyTensorSpan<double> of a float32 [2, 3]", ["AsReadOnlyTensorSpan", "float32", "[2, 3]"], a => { Tensor x = a.Leaf(2, 3); return () => x.AsReadOnlyTensorSpan<double>(); });
        yield return Rejects<ObjectDisposedException>("Tensor.AsReadOnlyTensorSpan", Disposed, "AsReadOnlyTensorSpan of a disposed [2]", ["AsReadOnlyTensorSpan", "[2]", "disposed"], a => { Tensor x = a.Disposed(2); return () => x.AsReadOnlyTensorSpan<float>(); });
        yield return Rejects<InvalidOperationException>("Tensor.Dispose", Disposed, "Dispose of a tensor another thread's scope owns", ["Dispose", "[2]", "another thread"], a =>
        {
            Tensor? x = null;
            var opened = new ManualResetEventSlim();
            var release = new ManualResetEventSlim();
            var thread = new Thread(() =>
            {
                using (Tensor.Scope())
                {
                    x = Tensor.Ones([2]);
                    opened.Set();
                    release.Wait();
                }
            });
            thread.Start();
            opened.Wait();
            a.Afterwards(() =>
            {
                release.Set();
                thread.Join();
            });
            return () => x!.Dispose();
        });
    }

    private static IEnumerable<BadInputCase> InPlaceCases()
    {
        foreach ((string op, Action<Tensor, Tensor> apply) in new (string, Action<Tensor, Tensor>)[]
        {
            ("AddInPlace", (t, o) => t.AddInPlace(o, -0.1)), ("AddProductInPlace", (t, o) => t.AddProductInPlace(o, o)),
            ("AddQuotientInPlace", (t, o) => t.AddQuotientInPlace(o, o)), ("LerpInPlace", (t, o) => t.LerpInPlace(o, 0.5)),
            ("CopyFrom", (t, o) => t.CopyFrom(o)),
        })
        {
            string operand = op switch { "CopyFrom" => "source", "AddProductInPlace" => "x", "AddQuotientInPlace" => "numerator", "LerpInPlace" => "end", _ => "other" };
            yield return Rejects<ArgumentException>($"Tensor.{op}", ShapeMismatch, $"{op} of [2, 3] with [3]", [op, "[2, 3]", "[3]"], a =>
            {
                Tensor p = a.Leaf(2, 3), o = a.Data(3);
                return () => { using (Tensor.NoGrad()) { apply(p, o); } };
            }) with
            { ParamName = operand };
            yield return Rejects<ArgumentException>($"Tensor.{op}", ShapeMismatch, $"{op} of [2, 3] with [1, 3] (no broadcasting)", [op, "[2, 3]", "[1, 3]"], a =>
            {
                Tensor p = a.Leaf(2, 3), o = a.Data(1, 3);
                return () => { using (Tensor.NoGrad()) { apply(p, o); } };
            }) with
            { ParamName = operand };
            yield return Rejects<ArgumentNullException>($"Tensor.{op}", Null, $"{op} with null", [operand], a =>
            {
                Tensor p = a.Leaf(2, 3);
                return () => { using (Tensor.NoGrad()) { apply(p, null!); } };
            }) with
            { ParamName = operand };
            yield return Rejects<ObjectDisposedException>($"Tensor.{op}", Disposed, $"{op} from a disposed operand", [op, "[2, 3]", "disposed"], a =>
            {
                Tensor p = a.Leaf(2, 3), o = a.Disposed(2, 3);
                return () => { using (Tensor.NoGrad()) { apply(p, o); } };
            });
            yield return Rejects<ObjectDisposedException>($"Tensor.{op}", Disposed, $"{op} into a disposed tensor", [op, "[2, 3]", "disposed"], a =>
            {
                Tensor p = a.Disposed(2, 3), o = a.Data(2, 3);
                return () => apply(p, o);
            });
            yield return Rejects<InvalidOperationException>($"Tensor.{op}", FinishedTape, $"{op} into an op's result", [op, "recorded computation"], a =>
            {
                Tensor p = a.Recorded(2, 3), o = a.Data(2, 3);
                return () => { using (Tensor.NoGrad()) { apply(p, o); } };
            });
            yield return Rejects<InvalidOperationException>($"Tensor.{op}", FinishedTape, $"{op} into a parameter while recording", [op, "NoGrad"], a =>
            {
                Tensor p = a.Leaf(2, 3), o = a.Data(2, 3);
                return () => apply(p, o);
            });
            if (op != "CopyFrom")
            {
                yield return Rejects<ArgumentException>($"Tensor.{op}", BadInputKind.DType, $"{op} of float32 with float64", [op, "float32", "float64"], a =>
                {
                    Tensor p = a.Leaf(2, 3), o = a.Data64(2, 3);
                    return () => { using (Tensor.NoGrad()) { apply(p, o); } };
                }) with
                { ParamName = operand };
            }
        }

        yield return Rejects<ArgumentException>("Tensor.AddProductInPlace", ShapeMismatch, "AddProductInPlace with a second factor of [3]", ["AddProductInPlace", "[2, 3]", "[3]"], a =>
        {
            Tensor p = a.Leaf(2, 3), x = a.Data(2, 3), y = a.Data(3);
            return () => { using (Tensor.NoGrad()) { p.AddProductInPlace(x, y); } };
        }) with
        { ParamName = "y" };
        yield return Rejects<ArgumentException>("Tensor.AddQuotientInPlace", BadInputKind.DType, "AddQuotientInPlace with a float64 denominator", ["AddQuotientInPlace", "float32", "float64"], a =>
        {
            Tensor p = a.Leaf(2, 3), x = a.Data(2, 3), y = a.Data64(2, 3);
            return () => { using (Tensor.NoGrad()) { p.AddQuotientInPlace(x, y); } };
        }) with
        { ParamName = "denominator" };
        yield return Rejects<ObjectDisposedException>("Tensor.AddQuotientInPlace", Disposed, "AddQuotientInPlace with a disposed denominator", ["AddQuotientInPlace", "[2, 3]", "disposed"], a =>
        {
            Tensor p = a.Leaf(2, 3), x = a.Data(2, 3), y = a.Disposed(2, 3);
            return () => { using (Tensor.NoGrad()) { p.AddQuotientInPlace(x, y); } };
        });

        foreach ((string op, Action<Tensor> apply) in new (string, Action<Tensor>)[]
        {
            ("AddInPlace", t => t.AddInPlace(1.0)), ("MultiplyInPlace", t => t.MultiplyInPlace(2)), ("SqrtInPlace", t => t.SqrtInPlace()),
            ("FillInPlace", t => t.FillInPlace(0)),
        })
        {
            yield return Rejects<ObjectDisposedException>($"Tensor.{op}", Disposed, $"{op} of a disposed tensor", [op, "[2, 3]", "disposed"], a =>
            {
                Tensor p = a.Disposed(2, 3);
                return () => { using (Tensor.NoGrad()) { apply(p); } };
            });
            yield return Rejects<InvalidOperationException>($"Tensor.{op}", FinishedTape, $"{op} of an op's result", [op, "recorded computation"], a =>
            {
                Tensor p = a.Recorded(2, 3);
                return () => { using (Tensor.NoGrad()) { apply(p); } };
            });
            yield return Rejects<InvalidOperationException>($"Tensor.{op}", FinishedTape, $"{op} of a parameter while recording", [op, "NoGrad"], a =>
            {
                Tensor p = a.Leaf(2, 3);
                return () => apply(p);
            });
        }
    }

    private static IEnumerable<BadInputCase> TapeCases()
    {
        yield return Rejects<InvalidOperationException>("Tensor.Backward", FinishedTape, "Backward twice without retainGraph", ["Backward", "released", "retainGraph"], a =>
        {
            Tensor leaf = a.Leaf(2, 3);
            Tensor loss = (leaf * leaf).Sum();
            loss.Backward();
            return () => loss.Backward();
        });
        yield return Rejects<InvalidOperationException>("Tensor.Backward", FinishedTape, "Backward through a released part of a graph", ["Backward", "released"], a =>
        {
            Tensor leaf = a.Leaf(2, 3);
            Tensor hidden = leaf.Exp();
            hidden.Sum().Backward();
            Tensor other = (hidden * 2).Sum();
            return () => other.Backward();
        });
        yield return Rejects<InvalidOperationException>("Tensor.Backward", FinishedTape, "Backward after a saved tensor changed in place", ["Backward", "[2, 3]", "modified in place"], a =>
        {
            Tensor leaf = a.Leaf(2, 3);
            Tensor loss = (leaf * leaf).Sum();
            using (Tensor.NoGrad())
            {
                leaf.AddInPlace(1.0);
            }

            return () => loss.Backward();
        });
        yield return Rejects<ObjectDisposedException>("Tensor.Backward", Disposed, "Backward after its TensorScope ended", ["Backward", "[2, 3]", "disposed"], a =>
        {
            Tensor leaf = a.Leaf(2, 3);
            Tensor loss;
            using (TensorScope scope = Tensor.Scope())
            {
                loss = scope.Keep((leaf.Exp() * leaf).Sum());
            }

            return () => loss.Backward();
        });
        yield return Rejects<InvalidOperationException>("Tensor.Backward", FinishedTape, "Backward of a tensor that requires no gradient", ["Backward", "does not require a gradient"], a =>
        {
            Tensor x = a.Data(1);
            return () => x.Backward();
        });
        yield return Rejects<InvalidOperationException>("Tensor.Backward", FinishedTape, "Backward of a result computed under NoGrad", ["Backward", "does not require a gradient"], a =>
        {
            Tensor leaf = a.Leaf(3);
            Tensor y;
            using (Tensor.NoGrad())
            {
                y = leaf.Sum();
            }

            return () => y.Backward();
        });
        yield return Rejects<InvalidOperationException>("Tensor.Backward", Size, "Backward of [2, 3] without a gradient", ["Backward", "[2, 3]", "one-element"], a =>
        {
            Tensor y = a.Recorded(2, 3);
            return () => y.Backward();
        });
        yield return Rejects<ArgumentException>("Tensor.Backward", ShapeMismatch, "Backward of [2, 3] with a gradient of [3, 2]", ["Backward", "[2, 3]", "[3, 2]"], a =>
        {
            Tensor y = a.Recorded(2, 3), g = a.Data(3, 2);
            return () => y.Backward(g);
        });
        yield return Rejects<ArgumentException>("Tensor.Backward", BadInputKind.DType, "Backward of float32 with a float64 gradient", ["Backward", "float32", "float64"], a =>
        {
            Tensor y = a.Recorded(2, 3), g = a.Data64(2, 3);
            return () => y.Backward(g);
        });
        yield return Rejects<ObjectDisposedException>("Tensor.Backward", Disposed, "Backward with a disposed gradient", ["Backward", "[2, 3]", "disposed"], a =>
        {
            Tensor y = a.Recorded(2, 3), g = a.Disposed(2, 3);
            return () => y.Backward(g);
        });
        yield return Rejects<InvalidOperationException>("Tensor.set_RequiresGrad", FinishedTape, "RequiresGrad = false on an op's result", ["RequiresGrad", "leaf"], a =>
        {
            Tensor y = a.Recorded(2, 3);
            return () => y.RequiresGrad = false;
        });
        yield return Rejects<InvalidOperationException>("Tensor.RequireGrad", FinishedTape, "RequireGrad on an op's result", ["RequiresGrad", "leaf"], a =>
        {
            Tensor y = a.Recorded(2, 3);
            return () => y.RequireGrad();
        });

        yield return Rejects<ArgumentNullException>("Tensor.Jacobian", Null, "Jacobian of a null function", ["function"], a => { Tensor x = a.Data64(2); return () => Tensor.Jacobian(null!, x); });
        yield return Rejects<ArgumentNullException>("Tensor.Jacobian", Null, "Jacobian at a null input", ["input"], _ => () => Tensor.Jacobian(x => x, null!));
        yield return Rejects<InvalidOperationException>("Tensor.Jacobian", Null, "Jacobian of a function returning null", ["Jacobian", "null"], a => { Tensor x = a.Data64(2); return () => Tensor.Jacobian(_ => null!, x); });
        yield return Rejects<ObjectDisposedException>("Tensor.Jacobian", Disposed, "Jacobian at a disposed input", ["Jacobian", "[2]", "disposed"], a => { Tensor x = a.Disposed(2); return () => Tensor.Jacobian(x => x.Exp(), x); });
        yield return Rejects<ArgumentNullException>("GradientCheck.Run", Null, "GradientCheck of a null function", ["function"], a => { Tensor x = a.Data64(2); return () => GradientCheck.Run((Func<Tensor, Tensor>)null!, x); });
        yield return Rejects<ArgumentNullException>("GradientCheck.Run", Null, "GradientCheck of null inputs", ["inputs"], _ => () => GradientCheck.Run(x => x[0], (Tensor[])null!));
        yield return Rejects<ArgumentNullException>("GradientCheck.Run", Null, "GradientCheck with a null input", ["inputs"], a => { Tensor x = a.Data64(2); return () => GradientCheck.Run(x => x[0], [x, null!]); });
        yield return Rejects<ArgumentException>("GradientCheck.Run", BadInputKind.DType, "GradientCheck at a float32 input", ["GradientCheck", "float64", "float32"], a => { Tensor x = a.Leaf(2); return () => GradientCheck.Run(x => x.Exp(), x); });
        foreach (double epsilon in new[] { 0, -1e-6, double.NaN })
        {
            yield return Rejects<ArgumentException>("GradientCheck.Run", Hyperparameter, $"GradientCheck with epsilon {epsilon}", ["GradientCheck", "epsilon"], a => { Tensor x = a.Data64(2); return () => GradientCheck.Run(x => x.Exp(), x, epsilon); });
        }

        yield return Rejects<ArgumentException>("GradientCheck.Run", NonFinite, "GradientCheck with epsilon ∞", ["GradientCheck", "epsilon"], a => { Tensor x = a.Data64(2); return () => GradientCheck.Run(x => x.Exp(), x, double.PositiveInfinity); });
        yield return Rejects<ObjectDisposedException>("Tensor.Backward", Disposed, "Backward into a disposed gradient", ["Backward", "gradient", "[2]", "disposed"], a =>
        {
            Tensor v = a.Leaf(2), w = a.LeafWithDisposedGrad(2);
            Tensor loss = (v * w).Sum(); // v's gradient would be written first
            return () => loss.Backward();
        });
        yield return Rejects<InvalidOperationException>("Tensor.Backward", FinishedTape, "Backward while another thread walks the graph", ["Backward", "another thread", "one Backward at a time"], a =>
        {
            // Not tracked: the other thread's walk writes its gradient once released.
            Tensor w = Tensor.Create([1f, 2f]).RequireGrad();
            var inRule = new ManualResetEventSlim();
            var release = new ManualResetEventSlim();
            int calls = 0;
            Tensor y = Tensor.Record(Tensor.Create([1f, 2f]), w, (output, input) =>
            {
                if (Interlocked.Increment(ref calls) == 1)
                {
                    inRule.Set();
                    release.Wait(TimeSpan.FromSeconds(30));
                }

                input.AccumulateGrad(output.OutputGradient);
            });
            Tensor loss = y.Sum();
            var thread = new Thread(() =>
            {
                try
                {
                    loss.Backward(retainGraph: true);
                }
                catch (InvalidOperationException)
                {
                    // Only before the fix, when the second walk takes the first one's working gradient.
                }
            });
            thread.Start();
            inRule.Wait(TimeSpan.FromSeconds(30));
            a.Afterwards(() =>
            {
                release.Set();
                thread.Join();
            });
            return () => loss.Backward(retainGraph: true);
        });
    }
}
