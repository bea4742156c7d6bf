using AutoGrad.NN;
using static AutoGrad.Tests.BadInput.BadInputKind;

namespace AutoGrad.Tests.BadInput;

// Modules, initializers and losses.
public static partial class Catalogue
{
    private static IEnumerable<BadInputCase> ModuleCases()
    {
        foreach ((int inFeatures, int outFeatures, string parameter) in new[] { (0, 2, "inFeatures"), (-3, 2, "inFeatures"), (3, 0, "outFeatures"), (3, -1, "outFeatures") })
        {
            yield return Rejects<ArgumentOutOfRangeException>("Linear.ctor", Size, $"Linear({inFeatures}, {outFeatures})", ["Linear", parameter, $"in: {inFeatures}, out: {outFeatures}"], a =>
            {
                RandomSource source = a.Source();
                return () => _ = new Linear(inFeatures, outFeatures, source);
            });
        }

        yield return Rejects<ArgumentNullException>("Linear.ctor", Null, "Linear from a null source", ["random"], a => () => _ = new Linear(3, 2, null!));
        yield return Rejects<ArgumentOutOfRangeException>("Linear.ctor", BadInputKind.DType, "Linear of undefined element type", ["Linear", "dtype", "5"], a =>
        {
            RandomSource source = a.Source();
            return () => _ = new Linear(3, 2, source, dtype: (DType)5);
        });
        foreach ((int[] input, string kind) in new (int[], string)[] { ([4, 5], "[4, 5]"), ([5], "[5]"), ([2, 4, 3], "[2, 4, 3]"), ([], "[]") })
        {
            yield return Rejects<ArgumentException>("Linear.Forward", input.Length is 1 or 2 ? ShapeMismatch : WrongRank, $"Linear(3, 2) of {kind}", ["Affine", kind, "[2, 3]"], a =>
            {
                Linear layer = a.Module(new Linear(3, 2, a.Random));
                Tensor x = a.Recorded(input);
                return () => layer.Forward(x);
            });
        }

        yield return Rejects<ArgumentNullException>("Linear.Forward", Null, "Linear of null", ["input"], a =>
        {
            Linear layer = a.Module(new Linear(3, 2, a.Random));
            return () => layer.Forward(null!);
        });
        yield return Rejects<ArgumentException>("Linear.Forward", BadInputKind.DType, "Linear(float32) of float64", ["Affine", "float64", "float32"], a =>
        {
            Linear layer = a.Module(new Linear(3, 2, a.Random));
            Tensor x = a.Data64(4, 3);
            return () => layer.Forward(x);
        });
        yield return Rejects<ObjectDisposedException>("Linear.Forward", Disposed, "Linear of a disposed input", ["Affine", "[4, 3]", "disposed"], a =>
        {
            Linear layer = a.Module(new Linear(3, 2, a.Random));
            Tensor x = a.Disposed(4, 3);
            return () => layer.Forward(x);
        });

        foreach ((int[] sizes, string words) in new (int[], string)[] { ([3], "[3]"), ([], "[]"), ([3, 0, 2], "[3, 0, 2]"), ([3, -4, 2], "[3, -4, 2]") })
        {
            yield return Rejects<ArgumentException>("Mlp.ctor", Size, $"Mlp({words})", ["Mlp", words], a =>
            {
                RandomSource source = a.Source();
                return () => _ = new Mlp(sizes, source);
            });
        }

        yield return Rejects<ArgumentNullException>("Mlp.ctor", Null, "Mlp of null sizes", ["layerSizes"], a => () => _ = new Mlp(null!, new RandomSource(1)));
        yield return Rejects<ArgumentNullException>("Mlp.ctor", Null, "Mlp from a null source", ["random"], a => () => _ = new Mlp([2, 1], null!));
        yield return Rejects<ArgumentException>("Mlp.Forward", ShapeMismatch, "Mlp [3, 4, 2] of [5, 2]", ["Affine", "[5, 2]", "[4, 3]"], a =>
        {
            Mlp mlp = a.Module(new Mlp([3, 4, 2], a.Random));
            Tensor x = a.Recorded(5, 2);
            return () => mlp.Forward(x);
        });
        yield return Rejects<ArgumentException>("Sequential.Forward", ShapeMismatch, "Sequential(Linear(3, 4), Relu, Linear(5, 2)) of [1, 3]", ["Affine", "[1, 4]", "[2, 5]"], a =>
        {
            Sequential chain = a.Module(new Sequential(new Linear(3, 4, a.Random), new Relu(), new Linear(5, 2, a.Random)));
            Tensor x = a.Recorded(1, 3);
            return () => chain.Forward(x);
        });
        yield return Rejects<ArgumentNullException>("Mlp.Forward", Null, "Mlp of null", ["input"], a =>
        {
            Mlp mlp = a.Module(new Mlp([3, 4, 2], a.Random));
            return () => mlp.Forward(null!);
        });
        yield return Rejects<ArgumentNullException>("Sequential.Forward", Null, "empty Sequential of null", ["input"], _ => () => new Sequential().Forward(null!));
        yield return Rejects<ArgumentNullException>("Sequential.ctor", Null, "Sequential of null", ["modules"], a => () => _ = new Sequential((IEnumerable<Module>)null!));
        yield return Rejects<ArgumentNullException>("Sequential.ctor", Null, "Sequential holding null", ["module"], a => () => _ = new Sequential(new Relu(), null!));
        yield return Rejects<ArgumentNullException>("Sequential.Append", Null, "Append of null", ["module"], _ => () => new Sequential().Append(null!));
        yield return Rejects<ArgumentException>("Sequential.Append", FinishedTape, "Append of a chain to itself", ["RegisterModule", "own child"], _ => () => { var s = new Sequential(); s.Append(s); });
        yield return Rejects<ArgumentException>("Sequential.Append", FinishedTape, "Append making a cycle", ["RegisterModule", "cycle"], _ => () =>
        {
            var inner = new Sequential();
            Sequential outer = new Sequential().Append(inner);
            inner.Append(outer);
        });
        foreach (int index in new[] { 2, -1 })
        {
            yield return Rejects<ArgumentOutOfRangeException>("Sequential.get_Item", OutOfRange, $"chain[{index}] of 2 modules", ["Sequential", $"index {index}", "2 modules"], a => () => _ = new Sequential(new Relu(), new Tanh())[index]);
        }

        foreach ((string name, Func<Module> create) in new (string, Func<Module>)[] { ("Relu", () => new Relu()), ("LeakyRelu", () => new AutoGrad.NN.LeakyRelu()), ("Tanh", () => new AutoGrad.NN.Tanh()), ("Sigmoid", () => new AutoGrad.NN.Sigmoid()) })
        {
            string op = name;
            yield return Rejects<ArgumentNullException>($"{name}.Forward", Null, $"{name} module of null", ["input"], _ => () => create().Forward(null!));
            yield return Rejects<ObjectDisposedException>($"{name}.Forward", Disposed, $"{name} module of a disposed [2, 3]", [op, "[2, 3]", "disposed"], a =>
            {
                Module module = create();
                Tensor x = a.Disposed(2, 3);
                return () => module.Forward(x);
            });
        }

        foreach (double slope in new[] { double.NaN, double.PositiveInfinity })
        {
            yield return Rejects<ArgumentOutOfRangeException>("LeakyRelu.ctor", NonFinite, $"LeakyRelu module with slope {slope}", ["LeakyRelu", "negativeSlope"], a => () => _ = new AutoGrad.NN.LeakyRelu(slope));
        }

        yield return Rejects<ArgumentNullException>("Module.LoadStateDict", Null, "LoadStateDict of null", ["state"], a =>
        {
            Linear layer = a.Module(new Linear(3, 2, a.Random));
            return () => layer.LoadStateDict(null!);
        });
        yield return Rejects<ArgumentException>("Module.LoadStateDict", ShapeMismatch, "LoadStateDict with a weight of [3, 2]", ["LoadStateDict", "weight", "[3, 2]", "[2, 3]", "nothing was loaded"], a =>
        {
            Linear layer = a.Module(new Linear(3, 2, a.Random));
            var state = new Dictionary<string, Tensor> { ["bias"] = a.Data(2), ["weight"] = a.Data(3, 2) };
            return () => layer.LoadStateDict(state);
        });
        yield return Rejects<ArgumentException>("Module.LoadStateDict", NameOrStream, "LoadStateDict missing the bias, with an extra name", ["LoadStateDict", "missing \"bias\"", "unexpected \"bias2\""], a =>
        {
            Linear layer = a.Module(new Linear(3, 2, a.Random));
            var state = new Dictionary<string, Tensor> { ["weight"] = a.Data(2, 3), ["bias2"] = a.Data(2) };
            return () => layer.LoadStateDict(state);
        });
        yield return Rejects<ArgumentException>("Module.LoadStateDict", Disposed, "LoadStateDict with a disposed bias after a good weight", ["LoadStateDict", "bias", "[2]", "disposed"], a =>
        {
            Linear layer = a.Module(new Linear(3, 2, a.Random));
            var state = new Dictionary<string, Tensor> { ["weight"] = a.Data(2, 3), ["bias"] = a.Disposed(2) };
            return () => layer.LoadStateDict(state);
        });
        yield return Rejects<ArgumentException>("Module.LoadStateDict", Disposed, "LoadStateDict into a module whose second layer was disposed", ["LoadStateDict", "1.weight", "[2, 2]", "disposed", "nothing was loaded"], a =>
        {
            // The second layer is built inside a TensorScope that has ended, so its parameters are disposed; the first
            // layer's parameters come before them and must not be overwritten.
            Linear first = a.Module(new Linear(3, 2, a.Random));
            Linear second;
            using (Tensor.Scope())
            {
                second = new Linear(2, 2, a.Random);
            }

            foreach (Tensor parameter in second.Parameters())
            {
                a.Track(parameter);
            }

            var model = new Sequential(first, second);
            var state = new Dictionary<string, Tensor> { ["0.weight"] = a.Data(2, 3), ["0.bias"] = a.Data(2), ["1.weight"] = a.Data(2, 2), ["1.bias"] = a.Data(2) };
            return () => model.LoadStateDict(state);
        }) with
        { ParamName = "state" };
        yield return Rejects<ArgumentException>("Module.RegisterParameter", NameOrStream, "RegisterParameter under a dotted name", ["a.b", "dot"], a => () => _ = new Custom("a.b", Tensor.Ones([2])));
        yield return Rejects<ArgumentException>("Module.RegisterParameter", NameOrStream, "RegisterParameter under an empty name", ["name"], a => () => _ = new Custom("", Tensor.Ones([2])));
        yield return Rejects<ArgumentNullException>("Module.RegisterParameter", Null, "RegisterParameter under a null name", ["name"], a => () => _ = new Custom(null!, Tensor.Ones([2])));
        yield return Rejects<ArgumentNullException>("Module.RegisterParameter", Null, "RegisterParameter of null", ["parameter"], a => () => _ = new Custom("w", null!));
        yield return Rejects<ArgumentException>("Module.RegisterParameter", FinishedTape, "RegisterParameter of an op's result", ["RegisterParameter", "leaf"], a =>
        {
            Tensor y = a.Recorded(2);
            return () => _ = new Custom("w", y);
        });
        yield return Rejects<ObjectDisposedException>("Module.RegisterParameter", Disposed, "RegisterParameter of a disposed tensor", ["RegisterParameter", "[2]", "disposed"], a =>
        {
            Tensor w = a.Disposed(2);
            return () => _ = new Custom("w", w);
        });
        yield return Rejects<ArgumentException>("Module.RegisterParameter", NameOrStream, "RegisterParameter under a taken name", ["Custom", "\"w\""], a => () => _ = new Custom("w", Tensor.Ones([2]), "w"));
        yield return Rejects<ArgumentException>("Module.RegisterModule", NameOrStream, "RegisterModule under a parameter's name", ["Custom", "\"w\""], a => () => _ = new Custom("w", Tensor.Ones([2]), childName: "w"));
        yield return Rejects<ArgumentNullException>("Module.RegisterModule", Null, "RegisterModule of null", ["module"], a => () => _ = new Custom("w", Tensor.Ones([2]), childName: "c", nullChild: true));
    }

    private static IEnumerable<BadInputCase> InitCases()
    {
        foreach ((string op, Action<Tensor, RandomSource> apply) in new (string, Action<Tensor, RandomSource>)[]
        {
            ("Uniform", (t, r) => Init.Uniform(t, r)), ("Normal", (t, r) => Init.Normal(t, r)),
            ("XavierUniform", (t, r) => Init.XavierUniform(t, r)), ("XavierNormal", (t, r) => Init.XavierNormal(t, r)),
            ("KaimingUniform", (t, r) => Init.KaimingUniform(t, r)), ("KaimingNormal", (t, r) => Init.KaimingNormal(t, r)),
            ("Zeros", (t, _) => Init.Zeros(t)), ("Constant", (t, _) => Init.Constant(t, 0.5)),
        })
        {
            yield return Rejects<ArgumentNullException>($"Init.{op}", Null, $"Init.{op} of null", ["tensor"], a => { RandomSource r = a.Source(); return () => apply(null!, r); });
            yield return Rejects<ObjectDisposedException>($"Init.{op}", Disposed, $"Init.{op} of a disposed [2, 3]", [op, "[2, 3]", "disposed"], a =>
            {
                RandomSource r = a.Source();
                Tensor t = a.Disposed(2, 3);
                return () => apply(t, r);
            });
            yield return Rejects<InvalidOperationException>($"Init.{op}", FinishedTape, $"Init.{op} of an op's result", [op, "[2, 3]", "op's result"], a =>
            {
                RandomSource r = a.Source();
                Tensor t = a.Recorded(2, 3);
                return () => apply(t, r);
            });
            // A tensor without elements is left as it is, but only once it has passed the same checks as any other.
            yield return Rejects<ObjectDisposedException>($"Init.{op}", Disposed, $"Init.{op} of a disposed [0, 3]", [op, "[0, 3]", "disposed"], a =>
            {
                RandomSource r = a.Source();
                Tensor t = a.Disposed(0, 3);
                return () => apply(t, r);
            });
            yield return Rejects<InvalidOperationException>($"Init.{op}", FinishedTape, $"Init.{op} of an op's result [0, 3]", [op, "[0, 3]", "op's result"], a =>
            {
                RandomSource r = a.Source();
                Tensor t = a.Recorded(0, 3);
                return () => apply(t, r);
            });
            if (op is not ("Zeros" or "Constant"))
            {
                yield return Rejects<ArgumentNullException>($"Init.{op}", Null, $"Init.{op} from a null source", ["random"], a => { Tensor t = a.Leaf(2, 3); return () => apply(t, null!); });
                yield return Rejects<ArgumentNullException>($"Init.{op}", Null, $"Init.{op} of [0, 3] from a null source", ["random"], a => { Tensor t = a.Leaf(0, 3); return () => apply(t, null!); });
            }

            if (op.StartsWith("Xavier", StringComparison.Ordinal) || op.StartsWith("Kaiming", StringComparison.Ordinal))
            {
                yield return Rejects<ArgumentException>($"Init.{op}", WrongRank, $"Init.{op} of [3]", [op, "[3]", "two axes"], a =>
                {
                    RandomSource r = a.Source();
                    Tensor t = a.Leaf(3);
                    return () => apply(t, r);
                });
            }
        }

        foreach ((double low, double high, string parameter) in new[] { (1.0, 0.0, "high"), (0, double.NaN, "high"), (double.NegativeInfinity, 0, "low") })
        {
            yield return Rejects<ArgumentOutOfRangeException>("Init.Uniform", low > high ? Hyperparameter : NonFinite, $"Init.Uniform on [{low}, {high})", ["Uniform", parameter, "[2, 3]"], a =>
            {
                RandomSource r = a.Source();
                Tensor t = a.Leaf(2, 3);
                return () => Init.Uniform(t, r, low, high);
            });
        }

        foreach ((double mean, double deviation, string parameter) in new[] { (0.0, -1.0, "standardDeviation"), (0, double.PositiveInfinity, "standardDeviation"), (double.NaN, 1, "mean") })
        {
            yield return Rejects<ArgumentOutOfRangeException>("Init.Normal", deviation < 0 ? Hyperparameter : NonFinite, $"Init.Normal with mean {mean} and deviation {deviation}", ["Normal", parameter, "[2, 3]"], a =>
            {
                RandomSource r = a.Source();
                Tensor t = a.Leaf(2, 3);
                return () => Init.Normal(t, r, mean, deviation);
            });
        }

        foreach (double gain in new[] { -1, double.NaN, double.PositiveInfinity })
        {
            yield return Rejects<ArgumentOutOfRangeException>("Init.XavierUniform", gain < 0 ? Hyperparameter : NonFinite, $"Init.XavierUniform with gain {gain}", ["XavierUniform", "gain"], a =>
            {
                RandomSource r = a.Source();
                Tensor t = a.Leaf(2, 3);
                return () => Init.XavierUniform(t, r, gain);
            });
            yield return Rejects<ArgumentOutOfRangeException>("Init.XavierNormal", gain < 0 ? Hyperparameter : NonFinite, $"Init.XavierNormal with gain {gain}", ["XavierNormal", "gain"], a =>
            {
                RandomSource r = a.Source();
                Tensor t = a.Leaf(2, 3);
                return () => Init.XavierNormal(t, r, gain);
            });
        }

        yield return Rejects<ArgumentOutOfRangeException>("Init.KaimingUniform", NonFinite, "Init.KaimingUniform with slope NaN", ["KaimingUniform", "negativeSlope"], a =>
        {
            RandomSource r = a.Source();
            Tensor t = a.Leaf(2, 3);
            return () => Init.KaimingUniform(t, r, Nonlinearity.LeakyRelu, negativeSlope: double.NaN);
        });
        yield return Rejects<ArgumentOutOfRangeException>("Init.KaimingNormal", Hyperparameter, "Init.KaimingNormal with fan mode 4", ["KaimingNormal", "mode", "4"], a =>
        {
            RandomSource r = a.Source();
            Tensor t = a.Leaf(2, 3);
            return () => Init.KaimingNormal(t, r, mode: (FanMode)4);
        });
        yield return Rejects<ArgumentOutOfRangeException>("Init.KaimingUniform", Hyperparameter, "Init.KaimingUniform with nonlinearity 9", ["KaimingUniform", "nonlinearity", "9"], a =>
        {
            RandomSource r = a.Source();
            Tensor t = a.Leaf(2, 3);
            return () => Init.KaimingUniform(t, r, (Nonlinearity)9);
        });
        yield return Rejects<ArgumentOutOfRangeException>("Init.Gain", Hyperparameter, "Init.Gain of nonlinearity 9", ["Gain", "nonlinearity"], _ => () => Init.Gain((Nonlinearity)9));
        yield return Rejects<ArgumentOutOfRangeException>("Init.Gain", NonFinite, "Init.Gain with slope NaN", ["Gain", "negativeSlope"], _ => () => Init.Gain(Nonlinearity.LeakyRelu, double.NaN));
        yield return Rejects<ArgumentException>("Init.Fans", WrongRank, "Init.Fans of [4]", ["Fans", "[4]"], a => { Tensor t = a.Leaf(4); return () => Init.Fans(t); });
        yield return Rejects<ArgumentNullException>("Init.Fans", Null, "Init.Fans of null", ["tensor"], _ => () => Init.Fans(null!));
    }

    private static IEnumerable<BadInputCase> LossCases()
    {
        foreach ((string loss, Func<Tensor, Tensor, Reduction, Tensor> apply, string first) in new (string, Func<Tensor, Tensor, Reduction, Tensor>, string)[]
        {
            ("MeanSquaredError", Losses.MeanSquaredError, "prediction"), ("L1", Losses.L1, "prediction"),
            ("BinaryCrossEntropyWithLogits", Losses.BinaryCrossEntropyWithLogits, "logits"), ("CrossEntropy", Losses.CrossEntropy, "logits"),
        })
        {
            yield return Rejects<ArgumentException>($"Losses.{loss}", ShapeMismatch, $"{loss} of [4, 2] and [4, 3]", [loss, "[4, 2]", "[4, 3]"], a =>
            {
                Tensor p = a.Recorded(4, 2), t = a.Data(4, 3);
                return () => apply(p, t, Reduction.Mean);
            });
            yield return Rejects<ArgumentException>($"Losses.{loss}", ShapeMismatch, $"{loss} of [4, 1] and [4] (no broadcasting)", [loss, "[4, 1]", "[4]"], a =>
            {
                Tensor p = a.Recorded(4, 1), t = a.Data(4);
                return () => apply(p, t, Reduction.Mean);
            });
            yield return Rejects<ArgumentException>($"Losses.{loss}", BadInputKind.DType, $"{loss} of float32 and float64", [loss, "float32", "float64"], a =>
            {
                Tensor p = a.Recorded(4, 2), t = a.Data64(4, 2);
                return () => apply(p, t, Reduction.Mean);
            });
            yield return Rejects<ArgumentNullException>($"Losses.{loss}", Null, $"{loss} with a null target", ["target"], a => { Tensor p = a.Recorded(4, 2); return () => apply(p, null!, Reduction.Mean); });
            yield return Rejects<ArgumentNullException>($"Losses.{loss}", Null, $"{loss} with a null {first}", [first], a => { Tensor t = a.Data(4, 2); return () => apply(null!, t, Reduction.Mean); });
            yield return Rejects<ObjectDisposedException>($"Losses.{loss}", Disposed, $"{loss} with a disposed target", [loss, "[4, 2]", "disposed"], a =>
            {
                Tensor p = a.Recorded(4, 2), t = a.Disposed(4, 2);
                return () => apply(p, t, Reduction.Mean);
            });
            yield return Rejects<ArgumentOutOfRangeException>($"Losses.{loss}", Hyperparameter, $"{loss} with reduction 3", [loss, "reduction", "3"], a =>
            {
                Tensor p = a.Recorded(4, 2), t = a.Data(4, 2);
                return () => apply(p, t, (Reduction)3);
            });
        }

        yield return Rejects<ArgumentException>("Losses.CrossEntropy", WrongRank, "CrossEntropy of probabilities [8] and [8]", ["CrossEntropy", "[8]"], a =>
        {
            Tensor p = a.Recorded(8), t = a.Data(8);
            return () => Losses.CrossEntropy(p, t);
        });
        foreach (Reduction reduction in new[] { Reduction.Mean, Reduction.None })
        {
            yield return Rejects<ArgumentException>("Losses.CrossEntropy", ShapeMismatch, $"CrossEntropy ({reduction}) of [2, 3] with 3 class indices", ["CrossEntropy", "[2, 3]", "3 targets"], a =>
            {
                Tensor p = a.Recorded(2, 3);
                return () => Losses.CrossEntropy(p, [0, 1, 2], reduction);
            });
            yield return Rejects<ArgumentOutOfRangeException>("Losses.CrossEntropy", OutOfRange, $"CrossEntropy ({reduction}) with class 3 of 3", ["CrossEntropy", "[2, 3]", "class 3"], a =>
            {
                Tensor p = a.Recorded(2, 3);
                return () => Losses.CrossEntropy(p, [0, 3], reduction);
            });
        }

        yield return Rejects<ArgumentException>("Losses.CrossEntropy", WrongRank, "CrossEntropy of class indices for logits [2, 3, 4]", ["CrossEntropy", "[2, 3, 4]"], a =>
        {
            Tensor p = a.Recorded(2, 3, 4);
            return () => Losses.CrossEntropy(p, [0, 1]);
        });
        yield return Rejects<ArgumentOutOfRangeException>("Losses.CrossEntropy", Hyperparameter, "CrossEntropy of class indices with reduction -1", ["CrossEntropy", "reduction"], a =>
        {
            Tensor p = a.Recorded(2, 3);
            return () => Losses.CrossEntropy(p, [0, 1], (Reduction)(-1));
        });
        yield return Rejects<ObjectDisposedException>("Losses.CrossEntropy", Disposed, "CrossEntropy of disposed logits with class indices", ["CrossEntropy", "[2, 3]", "disposed"], a =>
        {
            Tensor p = a.Disposed(2, 3);
            return () => Losses.CrossEntropy(p, [0, 1]);
        });
        yield return Rejects<ArgumentNullException>("Losses.CrossEntropy", Null, "CrossEntropy of null logits with class indices", ["logits"], _ => () => Losses.CrossEntropy(null!, [0]));
    }

    /// <summary>A module that registers what it is given, for the cases of RegisterParameter and RegisterModule.</summary>
    private sealed class Custom : Module
    {
        public Custom(string name, Tensor parameter, string? secondName = null, string? childName = null, bool nullChild = false)
        {
            RegisterParameter(name, parameter);
            if (secondName is not null)
            {
                RegisterParameter(secondName, Tensor.Ones([1]));
            }

            if (childName is not null)
            {
                RegisterModule(childName, nullChild ? null! : new Relu());
            }
        }

        public override Tensor Forward(Tensor input) => input;
    }
}
