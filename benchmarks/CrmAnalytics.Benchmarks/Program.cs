using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using CrmAnalytics.Benchmarks.Ingest;
using CrmAnalytics.Benchmarks.Score;

if (PeakCommand.Handles(args))
{
    return await PeakCommand.RunAsync(args);
}

if (ScaleCommand.Handles(args))
{
    return await ScaleCommand.RunAsync(args);
}

// Keep BenchmarkDotNet.Artifacts out of the repository unless --artifacts is given.
var config = args.Contains("--artifacts", StringComparer.Ordinal)
    ? DefaultConfig.Instance
    : DefaultConfig.Instance.WithArtifactsPath(Path.Combine(SampleExport.CacheDirectory, "BenchmarkDotNet.Artifacts"));
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
