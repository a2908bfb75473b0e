using Xunit;

// The live-resource gauges are process-wide: tests compare against a baseline, so they must not
// allocate sockets concurrently with each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
