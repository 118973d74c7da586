using Premix.ColdStart.Model;
using Premix.Mapping;

namespace Premix.Tests.Infrastructure;

/// <summary>The cold-start benchmark's 100-entity model, as its application registers it.</summary>
internal static class ColdStartMaps
{
    /// <summary>
    /// Its maps, ordered by full name as AddModelConfigurationsFrom orders them, so a model built from them has the
    /// application's entity order (the generated model's files and entity list follow it).
    /// </summary>
    public static ModelConfiguration[] All() =>
    [
        .. typeof(Entity050Map).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(Entity050Map).Namespace && t.IsSubclassOf(typeof(ModelConfiguration)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (ModelConfiguration)Activator.CreateInstance(t)!),
    ];
}
