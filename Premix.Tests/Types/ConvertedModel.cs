using Premix.Mapping;

namespace Premix.Tests.Types;

/// <summary>A strongly typed id, converted to its long by convention.</summary>
public readonly record struct AccountId(long Value);

/// <summary>A strongly typed code, converted to its string by convention.</summary>
public readonly record struct Sku(string Value);

/// <summary>A value object of one value that the convention does not recognize (a class): mapped with HasConversion.</summary>
public sealed record EmailAddress(string Address);

public enum Tier
{
    Bronze = 1,
    Silver = 2,
    Gold = 3,
}

public sealed class Account
{
    public AccountId Id { get; set; }

    public string Name { get; set; } = "";

    public EmailAddress? Email { get; set; }

    public Uri? Website { get; set; }

    public Tier Tier { get; set; }

    public DateTime SeenAt { get; set; }

    public Sku? Code { get; set; }

    public List<Invoice> Invoices { get; set; } = [];
}

public sealed class Invoice
{
    public long Id { get; set; }

    public AccountId AccountId { get; set; }

    public decimal Total { get; set; }
}

/// <summary>
/// Every kind of conversion: a generated strongly typed key and a nullable strongly typed code (conventions), a Uri
/// (convention), a value object through HasConversion, an enum as a short (the model's registry, see <see cref="Registry"/>)
/// and a DateTime stamped UTC on read.
/// </summary>
public sealed class AccountMap : ModelConfiguration<Account>
{
    public const string Table = "conv_accounts";

    /// <summary>The kind the SeenAt converter stamps on read (<see cref="ValueConverters.DateTimeKind"/>, which writes it as a constant).</summary>
    public DateTimeKind SeenKind { get; init; } = DateTimeKind.Utc;

    public static void Registry(PremixOptionsBuilder p) => p.Convert(ValueConverters.EnumToNumber<Tier, short>());

    public override void Configure(EntityBuilder<Account> e)
    {
        e.ToTable(Table);
        e.Property(a => a.Email).HasConversion(new ValueConverter<EmailAddress, string>(email => email.Address, text => new EmailAddress(text))).HasMaxLength(50);
        e.Property(a => a.SeenAt).HasConversion(ValueConverters.DateTimeKind(SeenKind));
        e.Property(a => a.Code).HasMaxLength(10);
        e.HasMany(a => a.Invoices).WithForeignKey(i => i.AccountId);
    }
}

public sealed class InvoiceMap : ModelConfiguration<Invoice>
{
    public const string Table = "conv_invoices";

    public override void Configure(EntityBuilder<Invoice> e) => e.ToTable(Table);
}
