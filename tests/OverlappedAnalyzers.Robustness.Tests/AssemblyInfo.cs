using Xunit;

// Each test already runs the analyzers with bounded parallelism of its own; running test classes side by
// side on a 2-core CI machine would only make the hang detectors' clocks noisy.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
