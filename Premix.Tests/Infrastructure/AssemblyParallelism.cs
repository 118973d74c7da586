// Fixtures run in parallel (each owns its database); the tests inside one fixture run one after another.
// Four workers keep two cores busy while most of the time is spent waiting on database round trips.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(4)]
