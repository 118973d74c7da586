using System.Diagnostics;
using System.Reflection;

namespace Premix.Testing;

/// <summary>Finds the user's frame in a stack captured when a Premix operation began (only while a recorder is active).</summary>
internal static class CallSites
{
    private static readonly HashSet<string> LibraryAssemblies =
        ["Premix.Core", "Premix.Mapping", "Premix.Migrations", "Premix.Hosting", "Premix.AspNetCore", "Premix.Testing", "premix"];

    /// <summary>The first frame, innermost first, that is neither Premix nor the runtime (async plumbing); null when there is none.</summary>
    public static StatementCallSite? Find(StackTrace stack)
    {
        foreach (var frame in stack.GetFrames())
        {
            if (frame.GetMethod() is not { DeclaringType: { } type } method || IsLibrary(type.Assembly))
            {
                continue;
            }

            var line = frame.GetFileLineNumber();
            return new StatementCallSite(Member(type, method), frame.GetFileName(), line);
        }

        return null;
    }

    private static bool IsLibrary(Assembly assembly)
    {
        var name = assembly.GetName().Name ?? string.Empty;
        return LibraryAssemblies.Contains(name) || name.StartsWith("Premix.Providers.", StringComparison.Ordinal)
            || name.StartsWith("System.", StringComparison.Ordinal) || name.StartsWith("Microsoft.", StringComparison.Ordinal) || name == "System";
    }

    // Compiler-generated names (<LoadAsync>d__4.MoveNext, <>c.<LoadAsync>b__4_0, <LoadAsync>g__Local|4_0) become the method that holds them.
    private static string Member(Type type, MethodBase method)
    {
        var name = method.Name;
        while (type.Name.StartsWith('<') && type.DeclaringType is { } outer)
        {
            if (type.Name.Length > 2 && type.Name[1] != '>')
            {
                name = type.Name; // an async state machine, named after its method
            }

            type = outer;
        }

        // The innermost name in angle brackets: <<LoadAsync>b__0>d (an async lambda's state machine) is LoadAsync too.
        if (name.StartsWith('<') && name.IndexOf('>', StringComparison.Ordinal) is > 1 and var end)
        {
            name = name[(name.LastIndexOf('<', end) + 1)..end];
        }

        return type.Name + "." + name;
    }
}
