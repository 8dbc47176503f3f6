using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Occam.Benchmarks.GemmBenchmarks).Assembly).Run(args);
