using AutoGrad.IO;
using AutoGrad.NN;
using AutoGrad.Optimizers;
using AutoGrad.Tests.IO;
using static AutoGrad.Tests.BadInput.BadInputKind;

namespace AutoGrad.Tests.BadInput;

// Optimizers and schedules, weight files, and the memory and threading settings.
public static partial class Catalogue
{
    private static IEnumerable<BadInputCase> OptimizerCases()
    {
        foreach ((string name, Func<IEnumerable<Tensor>, double, Optimizer> create) in new (string, Func<IEnumerable<Tensor>, double, Optimizer>)[]
        {
            ("Sgd", (p, lr) => new Sgd(p, lr)), ("Adam", (p, lr) => new Adam(p, lr)), ("AdamW", (p, lr) => new AdamW(p, lr)),
        })
        {
            string entry = $"{name}.ctor";
            yield return Rejects<ArgumentNullException>(entry, Null, $"{name} of null", ["parameters"], _ => () => create(null!, 0.1));
            yield return Rejects<ArgumentException>(entry, Size, $"{name} of no parameters", [name, "empty"], _ => () => create([], 0.1));
            yield return Rejects<ArgumentException>(entry, Null, $"{name} with a null parameter", [name, "parameter 1", "null"], a => { Tensor p = a.Leaf(2); return () => create([p, null!], 0.1); });
            yield return Rejects<ArgumentException>(entry, FinishedTape, $"{name} of an op's result", [name, "parameter 0", "[2, 3]", "leaf"], a => { Tensor p = a.Recorded(2, 3); return () => create([p], 0.1); });
            yield return Rejects<ArgumentException>(entry, FinishedTape, $"{name} of a tensor that requires no gradient", [name, "parameter 0", "[2]", "RequiresGrad"], a => { Tensor p = a.Data(2); return () => create([p], 0.1); });
            yield return Rejects<ArgumentException>(entry, NameOrStream, $"{name} of a parameter given twice", [name, "parameter 1", "[2]", "twice"], a => { Tensor p = a.Leaf(2); return () => create([p, p], 0.1); });
            yield return Rejects<ObjectDisposedException>(entry, Disposed, $"{name} of a disposed parameter", [name, "parameter 0", "[2]", "disposed"], a =>
            {
                Tensor p = a.Disposed(2);
                p.RequiresGrad = true;
                return () => create([p], 0.1);
            });
            foreach (double rate in new[] { -0.1, double.NaN, double.PositiveInfinity })
            {
                yield return Rejects<ArgumentOutOfRangeException>(entry, double.IsNaN(rate) || double.IsInfinity(rate) ? NonFinite : Hyperparameter, $"{name} with learning rate {rate}", [name, "learningRate"], a => { Tensor p = a.Leaf(2); return () => create([p], rate); });
                yield return Rejects<ArgumentOutOfRangeException>("Optimizer.set_LearningRate", double.IsNaN(rate) || double.IsInfinity(rate) ? NonFinite : Hyperparameter, $"{name}.LearningRate = {rate}", [name, "learning rate"], a =>
                {
                    Optimizer optimizer = a.Optimizer(p => create(p, 0.1));
                    return () => optimizer.LearningRate = rate;
                });
            }

            yield return Rejects<ArgumentOutOfRangeException>("Optimizer.set_NonFiniteGradients", Hyperparameter, $"{name}.NonFiniteGradients = 2", [name, "2", "NonFiniteGradientPolicy"], a =>
            {
                Optimizer optimizer = a.Optimizer(p => create(p, 0.1));
                return () => optimizer.NonFiniteGradients = (NonFiniteGradientPolicy)2;
            });
            foreach (float bad in new[] { float.NaN, float.PositiveInfinity })
            {
                yield return Rejects<InvalidOperationException>("Optimizer.Step", NonFinite, $"{name}.Step over a gradient holding {bad}", [$"{name}.Step", "parameter 1", "[3]", "NaN or infinity", "no parameter was changed"], a =>
                {
                    Optimizer optimizer = a.Optimizer(p => create(p, 0.1));
                    Tensor second = optimizer.Parameters[1];
                    Tensor original = Tensor.Create(second.Grad!.ToArray<float>(), [3]);
                    using (Tensor.NoGrad())
                    {
                        second.Grad!.AddInPlace(Tensor.Create([0f, bad, 0f]));
                    }

                    // The gradient goes back before the arena steps the optimizer and its twin once more.
                    a.Afterwards(() =>
                    {
                        using (Tensor.NoGrad())
                        {
                            second.Grad!.CopyFrom(original);
                        }
                    });

                    return () => optimizer.Step();
                });
            }

            yield return Rejects<ObjectDisposedException>("Optimizer.Step", Disposed, $"{name}.Step with a disposed gradient", [$"{name}.Step", "parameter 0", "[2]", "disposed"], a =>
            {
                Tensor p = a.LeafWithDisposedGrad(2);
                Optimizer optimizer = create([p], 0.1);
                return () => optimizer.Step();
            });
        }

        foreach ((string entry, string setting, double value, Func<Tensor[], Optimizer> create) in new (string, string, double, Func<Tensor[], Optimizer>)[]
        {
            ("Sgd.ctor", "momentum", -0.1, p => new Sgd(p, 0.1, momentum: -0.1)), ("Sgd.ctor", "momentum", 1, p => new Sgd(p, 0.1, momentum: 1)),
            ("Sgd.ctor", "momentum", double.NaN, p => new Sgd(p, 0.1, momentum: double.NaN)),
            ("Sgd.ctor", "dampening", 1.5, p => new Sgd(p, 0.1, momentum: 0.9, dampening: 1.5)),
            ("Sgd.ctor", "dampening", double.NaN, p => new Sgd(p, 0.1, dampening: double.NaN)), ("Sgd.ctor", "weightDecay", -1, p => new Sgd(p, 0.1, weightDecay: -1)),
            ("Sgd.ctor", "weightDecay", double.PositiveInfinity, p => new Sgd(p, 0.1, weightDecay: double.PositiveInfinity)),
            ("Adam.ctor", "beta1", 1, p => new Adam(p, beta1: 1)), ("Adam.ctor", "beta1", double.NaN, p => new Adam(p, beta1: double.NaN)),
            ("Adam.ctor", "beta2", -0.5, p => new Adam(p, beta2: -0.5)), ("AdamW.ctor", "beta2", double.NaN, p => new AdamW(p, beta2: double.NaN)),
            ("Adam.ctor", "epsilon", -1e-8, p => new Adam(p, epsilon: -1e-8)), ("AdamW.ctor", "epsilon", double.NaN, p => new AdamW(p, epsilon: double.NaN)),
            ("Adam.ctor", "epsilon", double.PositiveInfinity, p => new Adam(p, epsilon: double.PositiveInfinity)),
            ("AdamW.ctor", "weightDecay", -0.01, p => new AdamW(p, weightDecay: -0.01)), ("Adam.ctor", "weightDecay", double.NaN, p => new Adam(p, weightDecay: double.NaN)),
        })
        {
            string name = entry[..^".ctor".Length];
            yield return Rejects<ArgumentOutOfRangeException>(entry, double.IsFinite(value) ? Hyperparameter : NonFinite, $"{name} with {setting} = {value}", [name, setting], a =>
            {
                Tensor p = a.Leaf(2);
                return () => create([p]);
            });
        }

        yield return Rejects<ArgumentException>("Sgd.ctor", Hyperparameter, "Nesterov without momentum", ["Sgd", "Nesterov"], a => { Tensor p = a.Leaf(2); return () => _ = new Sgd([p], 0.1, nesterov: true); });
        yield return Rejects<ArgumentException>("Sgd.ctor", Hyperparameter, "Nesterov with dampening", ["Sgd", "Nesterov", "dampening"], a => { Tensor p = a.Leaf(2); return () => _ = new Sgd([p], 0.1, momentum: 0.9, dampening: 0.1, nesterov: true); });
        yield return Rejects<ArgumentOutOfRangeException>("AdamW.ctor", Hyperparameter, "AdamW with beta1 = -0.1", ["AdamW", "beta1"], a => { Tensor p = a.Leaf(2); return () => _ = new AdamW([p], beta1: -0.1); });

        yield return Rejects<ArgumentNullException>("StepSchedule.ctor", Null, "StepSchedule of null", ["optimizer"], a => () => _ = new StepSchedule(null!, 1));
        yield return Rejects<ArgumentNullException>("CosineAnnealingSchedule.ctor", Null, "CosineAnnealingSchedule of null", ["optimizer"], a => () => _ = new CosineAnnealingSchedule(null!, 1));
        yield return Rejects<ArgumentNullException>("LearningRateSchedule.ctor", Null, "a custom schedule of null", ["optimizer"], a => () => _ = new BrokenSchedule(null!));
        foreach (int size in new[] { 0, -2 })
        {
            yield return Rejects<ArgumentOutOfRangeException>("StepSchedule.ctor", Size, $"StepSchedule with step size {size}", ["StepSchedule", "stepSize", $"{size}"], a =>
            {
                Optimizer o = a.Optimizer(p => new Sgd(p, 0.1));
                return () => _ = new StepSchedule(o, size);
            });
            yield return Rejects<ArgumentOutOfRangeException>("CosineAnnealingSchedule.ctor", Size, $"CosineAnnealingSchedule over {size} steps", ["CosineAnnealingSchedule", "maxSteps", $"{size}"], a =>
            {
                Optimizer o = a.Optimizer(p => new Sgd(p, 0.1));
                return () => _ = new CosineAnnealingSchedule(o, size);
            });
        }

        foreach (double value in new[] { -0.5, double.NaN, double.PositiveInfinity })
        {
            yield return Rejects<ArgumentOutOfRangeException>("StepSchedule.ctor", double.IsFinite(value) ? Hyperparameter : NonFinite, $"StepSchedule with gamma {value}", ["StepSchedule", "gamma"], a =>
            {
                Optimizer o = a.Optimizer(p => new Sgd(p, 0.1));
                return () => _ = new StepSchedule(o, 1, value);
            });
            yield return Rejects<ArgumentOutOfRangeException>("CosineAnnealingSchedule.ctor", double.IsFinite(value) ? Hyperparameter : NonFinite, $"CosineAnnealingSchedule with minimum {value}", ["CosineAnnealingSchedule", "minimumLearningRate"], a =>
            {
                Optimizer o = a.Optimizer(p => new Sgd(p, 0.1));
                return () => _ = new CosineAnnealingSchedule(o, 10, value);
            });
        }

        yield return Rejects<ArgumentOutOfRangeException>("StepSchedule.LearningRateAt", OutOfRange, "StepSchedule at epoch -1", ["StepSchedule", "epoch -1"], a =>
        {
            var schedule = new StepSchedule(a.Optimizer(p => new Sgd(p, 0.1)), 2);
            return () => schedule.LearningRateAt(-1);
        });
        yield return Rejects<ArgumentOutOfRangeException>("CosineAnnealingSchedule.LearningRateAt", OutOfRange, "CosineAnnealingSchedule at epoch -3", ["CosineAnnealingSchedule", "epoch -3"], a =>
        {
            var schedule = new CosineAnnealingSchedule(a.Optimizer(p => new Sgd(p, 0.1)), 10);
            return () => schedule.LearningRateAt(-3);
        });
        yield return Rejects<ArgumentOutOfRangeException>("LearningRateSchedule.CheckEpoch", OutOfRange, "a custom schedule's CheckEpoch(-1)", ["BrokenSchedule", "epoch -1"], a =>
        {
            var schedule = new BrokenSchedule(a.Optimizer(p => new Sgd(p, 0.1)));
            return () => schedule.Check(-1);
        });
        yield return Rejects<ArgumentOutOfRangeException>("LearningRateSchedule.Step", NonFinite, "a schedule whose next rate is NaN", ["Sgd", "learning rate"], a =>
        {
            var schedule = new BrokenSchedule(a.Optimizer(p => new Sgd(p, 0.1)));
            a.Afterwards(() => Assert.That(schedule.Epoch, Is.Zero, "the epoch did not advance"));
            return schedule.Step;
        });
    }

    private static IEnumerable<BadInputCase> FileCases()
    {
        yield return Rejects<ArgumentNullException>("SafeTensors.Save", Null, "Save to a null stream", ["stream"], a => { Tensor x = a.Data(2); return () => SafeTensors.Save((Stream)null!, [new("x", x)]); });
        yield return Rejects<ArgumentNullException>("SafeTensors.Save", Null, "Save of null tensors", ["tensors"], _ => () => SafeTensors.Save(new MemoryStream(), null!));
        yield return Rejects<ArgumentException>("SafeTensors.Save", NameOrStream, "Save to an empty path", ["path"], a => { Tensor x = a.Data(2); return () => SafeTensors.Save("", [new("x", x)]); });
        yield return Rejects<ArgumentException>("SafeTensors.Save", NameOrStream, "Save to a read-only stream", ["SafeTensors.Save", "cannot be written"], a => { Tensor x = a.Data(2); return () => SafeTensors.Save(new MemoryStream([], writable: false), [new("x", x)]); });
        yield return Rejects<ArgumentException>("SafeTensors.Save", Null, "Save of a null tensor", ["SafeTensors.Save", "'x'", "null"], _ => () => SafeTensors.Save(new MemoryStream(), [new("x", null!)]));
        yield return Rejects<ArgumentException>("SafeTensors.Save", NameOrStream, "Save of one name twice", ["SafeTensors.Save", "'x'", "two tensors"], a =>
        {
            Tensor x = a.Data(2), y = a.Data(3);
            var stream = new MemoryStream();
            a.Afterwards(() => Assert.That(stream.Length, Is.Zero, "nothing was written"));
            return () => SafeTensors.Save(stream, [new("x", x), new("x", y)]);
        });
        yield return Rejects<ArgumentException>("SafeTensors.Save", NameOrStream, "Save under the reserved name", ["SafeTensors.Save", "__metadata__"], a => { Tensor x = a.Data(2); return () => SafeTensors.Save(new MemoryStream(), [new("__metadata__", x)]); });
        yield return Rejects<ArgumentException>("SafeTensors.Save", Null, "Save with a null metadata value", ["SafeTensors.Save", "metadata", "'k'"], a => { Tensor x = a.Data(2); return () => SafeTensors.Save(new MemoryStream(), [new("x", x)], new Dictionary<string, string> { ["k"] = null! }); });
        yield return Rejects<ObjectDisposedException>("SafeTensors.Save", Disposed, "Save of a disposed tensor after a good one", ["SafeTensors.Save", "'y'", "[2, 3]", "disposed"], a =>
        {
            Tensor x = a.Data(4), y = a.Disposed(2, 3);
            var stream = new MemoryStream();
            a.Afterwards(() => Assert.That(stream.Length, Is.Zero, "nothing was written"));
            return () => SafeTensors.Save(stream, [new("x", x), new("y", y)]);
        });
        yield return Rejects<ObjectDisposedException>("SafeTensors.Save", Disposed, "Save to a file of a disposed tensor", ["SafeTensors.Save", "'y'", "disposed"], a =>
        {
            Tensor y = a.Disposed(3);
            string path = Path.Combine(Path.GetTempPath(), $"badinput-{Guid.NewGuid():N}.safetensors");
            a.Afterwards(() => Assert.That(Directory.GetFiles(Path.GetTempPath(), $"*{Path.GetFileName(path)}*"), Is.Empty, "no file, temporary or final, was left"));
            return () => SafeTensors.Save(path, [new("y", y)]);
        });
        yield return Rejects<IOException>("SafeTensors.Save", NameOrStream, "Save over a FIFO", ["SafeTensors.Save", "FIFO", "not a regular file"], a =>
        {
            UnixFiles.AssumeLinux();
            Tensor x = a.Data(2);
            string folder = NewFolder(), fifo = Path.Combine(folder, "weights.safetensors");
            UnixFiles.MakeFifo(fifo);
            a.Afterwards(() => Assert.That(UnixFiles.Kind(fifo), Is.EqualTo("fifo"), "the FIFO is still there"));
            a.Afterwards(() => Assert.That(Directory.GetFileSystemEntries(folder), Has.Length.EqualTo(1), "no temporary file was left"));
            a.Afterwards(Deleted(folder));
            return () => SafeTensors.Save(fifo, [new("x", x)]);
        });
        yield return Rejects<IOException>("SafeTensors.Save", NameOrStream, "Save over a directory", ["SafeTensors.Save", "a directory", "not a regular file"], a =>
        {
            Tensor x = a.Data(2);
            string folder = NewFolder();
            a.Afterwards(() => Assert.That(Directory.GetFileSystemEntries(folder), Is.Empty, "nothing was written into it"));
            a.Afterwards(Deleted(folder));
            return () => SafeTensors.Save(folder, [new("x", x)]);
        });
        yield return Rejects<IOException>("SafeTensors.Save", NameOrStream, "Save through a loop of symbolic links", ["SafeTensors.Save", "symbolic link", "cannot be followed"], a =>
        {
            UnixFiles.AssumeLinux();
            Tensor x = a.Data(2);
            string folder = NewFolder();
            string first = Path.Combine(folder, "a"), second = Path.Combine(folder, "b");
            File.CreateSymbolicLink(first, second);
            File.CreateSymbolicLink(second, first);
            a.Afterwards(() => Assert.That(Directory.GetFileSystemEntries(folder), Has.Length.EqualTo(2), "only the two links are there"));
            a.Afterwards(Deleted(folder));
            return () => SafeTensors.Save(first, [new("x", x)]);
        });
        yield return Rejects<ArgumentNullException>("SafeTensors.Load", Null, "Load from a null stream", ["stream"], _ => () => SafeTensors.Load((Stream)null!));
        yield return Rejects<ArgumentException>("SafeTensors.Load", NameOrStream, "Load from an empty path", ["path"], _ => () => SafeTensors.Load(""));
        yield return Rejects<FileNotFoundException>("SafeTensors.Load", NameOrStream, "Load from a missing file", ["no-such-file.safetensors"], _ => () => SafeTensors.Load(Path.Combine(Path.GetTempPath(), "no-such-file.safetensors")));
        yield return Rejects<ArgumentException>("SafeTensors.Load", NameOrStream, "Load from a stream that cannot seek", ["SafeTensors.Load", "seekable"], _ => () => SafeTensors.Load(new UnseekableStream()));
        yield return Rejects<IOException>("SafeTensors.Load", NameOrStream, "Load of a FIFO", ["SafeTensors.Load", "FIFO", "not a regular file"], a =>
        {
            UnixFiles.AssumeLinux();
            string folder = NewFolder(), fifo = Path.Combine(folder, "weights.safetensors");
            UnixFiles.MakeFifo(fifo);

            // Held open for reading and writing (which does not wait on Linux), so that a Load that opened it could not hang.
            var holder = new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite);
            a.Afterwards(holder.Dispose);
            a.Afterwards(Deleted(folder));
            return () => SafeTensors.Load(fifo);
        });
        yield return Rejects<IOException>("SafeTensors.Load", NameOrStream, "Load of a directory", ["SafeTensors.Load", "a directory", "not a regular file"], a =>
        {
            string folder = NewFolder();
            a.Afterwards(Deleted(folder));
            return () => SafeTensors.Load(folder);
        });
        yield return Rejects<IOException>("SafeTensors.Load", NameOrStream, "Load of /dev/null", ["SafeTensors.Load", "'/dev/null'", "character device"], _ =>
        {
            UnixFiles.AssumeLinux();
            return () => SafeTensors.Load("/dev/null");
        });
        yield return Rejects<InvalidDataException>("SafeTensors.Load", NameOrStream, "Load of a tensor named \"\"", ["safetensors stream", "empty name"], _ =>
        {
            byte[] file = SafeTensorsBytes.File("""{"":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", new byte[4]);
            return () => SafeTensors.Load(new MemoryStream(file));
        });
        yield return Rejects<InvalidDataException>("SafeTensors.Load", Size, "Load of 5 bytes", ["safetensors stream"], _ => () => SafeTensors.Load(new MemoryStream(new byte[5])));
        yield return Rejects<InvalidDataException>("SafeTensors.Load", ShapeMismatch, "Load of a file cut short", ["safetensors stream", "'x'"], a =>
        {
            var stream = new MemoryStream();
            SafeTensors.Save(stream, [new("x", Tensor.Ones([4]))]);
            byte[] truncated = stream.ToArray()[..^4];
            return () => SafeTensors.Load(new MemoryStream(truncated));
        });

        yield return Rejects<ArgumentNullException>("ModuleSafeTensorsExtensions.SaveSafeTensors", Null, "SaveSafeTensors of a null module", ["module"], _ => () => ((Module)null!).SaveSafeTensors("x.safetensors"));
        yield return Rejects<ArgumentNullException>("ModuleSafeTensorsExtensions.LoadSafeTensors", Null, "LoadSafeTensors into a null module", ["module"], _ => () => ((Module)null!).LoadSafeTensors("x.safetensors"));
        yield return Rejects<ArgumentException>("ModuleSafeTensorsExtensions.SaveSafeTensors", NameOrStream, "SaveSafeTensors to an empty path", ["path"], a =>
        {
            Linear layer = a.Module(new Linear(3, 2, a.Random));
            return () => layer.SaveSafeTensors("");
        });
        yield return Rejects<ArgumentException>("ModuleSafeTensorsExtensions.LoadSafeTensors", ShapeMismatch, "LoadSafeTensors of a Linear(2, 3) file into a Linear(3, 2)", ["LoadSafeTensors", "weight", "[3, 2]", "[2, 3]"], a =>
        {
            Linear layer = a.Module(new Linear(3, 2, a.Random));
            string path = Path.Combine(Path.GetTempPath(), $"badinput-{Guid.NewGuid():N}.safetensors");
            new Linear(2, 3, new RandomSource(1)).SaveSafeTensors(path);
            a.Afterwards(() => File.Delete(path));
            return () => layer.LoadSafeTensors(path);
        });
        yield return Rejects<InvalidDataException>("ModuleSafeTensorsExtensions.LoadSafeTensors", Size, "LoadSafeTensors of a file of 3 bytes", ["badinput-"], a =>
        {
            Linear layer = a.Module(new Linear(3, 2, a.Random));
            string path = Path.Combine(Path.GetTempPath(), $"badinput-{Guid.NewGuid():N}.safetensors");
            File.WriteAllBytes(path, [1, 2, 3]);
            a.Afterwards(() => File.Delete(path));
            return () => layer.LoadSafeTensors(path);
        });
    }

    private static IEnumerable<BadInputCase> MemoryCases()
    {
        yield return Rejects<ArgumentNullException>("TensorScope.Keep", Null, "Keep of null", ["tensor"], _ => () =>
        {
            using TensorScope scope = Tensor.Scope();
            scope.Keep(null!);
        });
        yield return Rejects<ObjectDisposedException>("TensorScope.Keep", Disposed, "Keep after the scope ended", ["Keep", "ended"], a =>
        {
            Tensor x = a.Data(2);
            TensorScope scope = Tensor.Scope();
            scope.Dispose();
            return () => scope.Keep(x);
        });
        yield return Rejects<InvalidOperationException>("TensorScope.Dispose", NameOrStream, "Dispose of a scope on another thread", ["TensorScope", "thread"], _ =>
        {
            TensorScope scope = default;
            var thread = new Thread(() => scope = Tensor.Scope());
            thread.Start();
            thread.Join();
            return () => scope.Dispose();
        });
        yield return Rejects<ArgumentOutOfRangeException>("TensorPool.set_MaxRetainedBytes", Size, "TensorPool.MaxRetainedBytes = -1", ["MaxRetainedBytes", "-1"], _ => () => TensorPool.MaxRetainedBytes = -1);
        foreach (int degree in new[] { 0, -4 })
        {
            yield return Rejects<ArgumentOutOfRangeException>("Parallelism.set_MaxDegreeOfParallelism", Size, $"Parallelism.MaxDegreeOfParallelism = {degree}", ["MaxDegreeOfParallelism", $"{degree}"], a =>
            {
                int before = Parallelism.MaxDegreeOfParallelism;
                a.Afterwards(() => Assert.That(Parallelism.MaxDegreeOfParallelism, Is.EqualTo(before)));
                return () => Parallelism.MaxDegreeOfParallelism = degree;
            });
        }

        yield return Rejects<ArgumentOutOfRangeException>("DTypeExtensions.Name", BadInputKind.DType, "Name of element type 3", ["element type", "3"], _ => () => ((DType)3).Name());
        yield return Rejects<InvalidOperationException>("GradModeScope.Dispose", NameOrStream, "Dispose of a NoGrad scope on another thread", ["NoGrad", "thread that began it"], _ =>
        {
            GradModeScope scope = default;
            var thread = new Thread(() => scope = Tensor.NoGrad());
            thread.Start();
            thread.Join();
            return () => scope.Dispose();
        });
        foreach (bool keep in new[] { false, true })
        {
            string member = keep ? "Keep" : "DetachFromScope";
            yield return Rejects<InvalidOperationException>(keep ? "TensorScope.Keep" : "Tensor.DetachFromScope", Disposed, $"{member} of a tensor another thread's scope owns", [member, "another thread"], a =>
            {
                Tensor? x = null;
                TensorScope scope = default;
                var opened = new ManualResetEventSlim();
                var release = new ManualResetEventSlim();
                var thread = new Thread(() =>
                {
                    using (scope = Tensor.Scope())
                    {
                        x = Tensor.Ones([2]);
                        opened.Set();
                        release.Wait(TimeSpan.FromSeconds(30));
                    }
                });
                thread.Start();
                opened.Wait(TimeSpan.FromSeconds(30));
                a.Afterwards(() =>
                {
                    release.Set();
                    thread.Join();
                    Assert.That(x!.IsDisposed, Is.True, "the tensor stayed in its scope, which disposed it");
                });
                return keep ? () => scope.Keep(x!) : () => x!.DetachFromScope();
            });
        }
    }

    /// <summary>A schedule whose rate is NaN from epoch 1 on, for LearningRateSchedule's own checks.</summary>
    private sealed class BrokenSchedule(Optimizer optimizer) : LearningRateSchedule(optimizer)
    {
        public override double LearningRateAt(int epoch) => epoch == 0 ? BaseLearningRate : double.NaN;

        public int Check(int epoch) => CheckEpoch(epoch);
    }

    /// <summary>A readable stream that cannot seek.</summary>
    /// <summary>A new empty folder under the temporary folder, for a case that deletes it afterwards with <see cref="Deleted"/>.</summary>
    private static string NewFolder() => Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"badinput-{Guid.NewGuid():N}")).FullName;

    /// <summary>Deletes a folder of <see cref="NewFolder"/> with its content, after the case's own checks.</summary>
    private static Action Deleted(string folder) => () => Directory.Delete(folder, recursive: true);

    private sealed class UnseekableStream() : MemoryStream(new byte[16])
    {
        public override bool CanSeek => false;
    }
}
