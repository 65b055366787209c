using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Kernels.KernelBenchmarks).Assembly).Run(args);
