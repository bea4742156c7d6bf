// Run with: dotnet run -c Release --project benchmarks/AutoGrad.Benchmarks -- --filter '*'
// (add --job dry for a smoke run of every benchmark in seconds).
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
