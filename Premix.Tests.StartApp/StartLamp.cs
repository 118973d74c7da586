namespace Premix.Tests.StartApp;

/// <summary>A row of start_rooms, whose lamps are read with Include (DynamicCodeOffQueryFilterTests).</summary>
public sealed class StartRoom
{
    /// <summary>The key, given by the row.</summary>
    public long Id { get; set; }

    /// <summary>A name, at most 20 characters.</summary>
    public string Name { get; set; } = "";

    /// <summary>The room's lamps: those its query filters keep when included.</summary>
    public List<StartLamp> Lamps { get; set; } = [];
}

/// <summary>A row of start_lamps, read through named query filters (<see cref="StartLampMap"/>).</summary>
public sealed class StartLamp
{
    /// <summary>The key, given by the row.</summary>
    public long Id { get; set; }

    /// <summary>The room's key.</summary>
    public long RoomId { get; set; }

    /// <summary>A name, at most 20 characters.</summary>
    public string Name { get; set; } = "";

    /// <summary>Whether it is lit: the lit filter keeps only lit lamps.</summary>
    public bool IsLit { get; set; }

    /// <summary>The brand: the brand filter keeps the lamps of <see cref="StartLampScope.Brand"/>.</summary>
    public string Brand { get; set; } = "";

    /// <summary>The power: the watts filter keeps lamps of at least 10.</summary>
    public int Watts { get; set; }
}

/// <summary>The brand the lamps are shown in, read by the brand filter on every query (per async flow, as a request's would be).</summary>
public static class StartLampScope
{
    private static readonly AsyncLocal<string?> Current = new();

    /// <summary>The brand shown; acme unless set.</summary>
    public static string Brand
    {
        get => Current.Value ?? "acme";
        set => Current.Value = value;
    }
}
