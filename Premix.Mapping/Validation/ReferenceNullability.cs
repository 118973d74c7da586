using System.Reflection;

namespace Premix.Mapping;

/// <summary>
/// Reads a property's nullable-reference annotation. <see cref="NullabilityInfoContext"/> caches what it read and is not
/// thread-safe, and models may be built on several threads at once (two hosts in one process, parallel tests): one
/// context per thread.
/// </summary>
internal static class ReferenceNullability
{
    [ThreadStatic]
    private static NullabilityInfoContext? _context;

    public static NullabilityState ReadState(PropertyInfo property) => (_context ??= new()).Create(property).ReadState;
}
