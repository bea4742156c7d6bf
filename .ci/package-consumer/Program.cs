// CI copies this file into a console project made by `dotnet new console`, which references AutoGrad only as a NuGet
// package from a local folder feed: the README's neuron, trained through the package. Exits nonzero unless it learns.
using AutoGrad;
using AutoGrad.Optimizers;

var random = new RandomSource(seed: 1);
Tensor x = Tensor.RandomNormal([64, 3], random);
Tensor y = (x.MatMul(Tensor.Create(new float[] { 2, -3, 0.5f })) + 1).Relu().Reshape(-1, 1);

Tensor w = Tensor.RandomNormal([1, 3], random, standardDeviation: 0.1).RequireGrad();
Tensor b = Tensor.Full([1], 0.1).RequireGrad();
var sgd = new Sgd([w, b], learningRate: 0.1);

double loss = double.NaN;
for (int step = 0; step < 1000; step++)
{
    using TensorScope scope = Tensor.Scope();
    Tensor batchLoss = Tensor.MseLoss(x.Affine(w, b).Relu(), y);
    batchLoss.Backward();
    sgd.Step();
    sgd.ZeroGrad();
    loss = batchLoss.Item();
}

Console.WriteLine($"through the package: loss {loss:0.00e+00} after 1000 SGD steps; w = {w}, b = {b}");
bool learned = loss < 1e-6 && Math.Abs(w[0, 0] - 2) < 1e-3 && Math.Abs(w[0, 1] + 3) < 1e-3 && Math.Abs(b[0] - 1) < 1e-3;
return learned ? 0 : 1;
