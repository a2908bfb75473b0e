using Xunit;

// Each test already runs the analyzers with bounded parallelism of its own; running test classes side by
// side on a 2-core CI machine would only multiply the suite's memory and stretch every run's hang guard.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
