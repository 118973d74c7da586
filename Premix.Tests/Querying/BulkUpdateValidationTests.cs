using Dapper;
using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Querying;

/// <summary>
/// <c>UpdateAllAsync</c> checks the values it sets against the mapping as <c>Add</c> and <c>Update</c> do, before any SQL:
/// a column wider than its <c>HasMaxLength</c> (SQLite would store the over-long text) or a null in a required property is
/// refused with <see cref="ValidationException"/>, and the rows stay as they were (read back with plain SQL).
/// </summary>
public sealed class BulkUpdateValidationTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [SetUp]
    public async Task SeedAsync()
    {
        _premix = await CreatePremixWithTablesAsync(new LabelMap());
        await using var connection = await OpenConnectionAsync();
        await connection.ExecuteAsync($"INSERT INTO {Q("bulk_labels")} ({Q("Id")}, {Q("Code")}, {Q("Note")}) VALUES (1, 'a', 'first'), (2, 'b', NULL)");
    }

    [Test]
    public async Task A_value_longer_than_HasMaxLength_is_refused_and_nothing_is_written()
    {
        var tooLong = new string('x', 25);

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var error = Assert.ThrowsAsync<ValidationException>(() => uow.Repository<Label>().Query().Where(x => x.Id > 0).UpdateAllAsync(s => s.Set(x => x.Code, tooLong)));

            Assert.That(error!.Failures.Select(f => (f.Entity, f.Property)), Is.EqualTo(new[] { (nameof(Label), nameof(Label.Code)) }));
            Assert.That(error.Message, Does.Contain("25 characters").And.Contain("maximum is 10"));
            await uow.CommitAsync();
        }

        Assert.That(await CodesAsync(), Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public async Task A_null_for_a_required_property_is_refused_and_nothing_is_written()
    {
        string? none = null;

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var error = Assert.ThrowsAsync<ValidationException>(() => uow.Repository<Label>().Query().Where(x => x.Id == 1).UpdateAllAsync(s => s.Set(x => x.Code, none!)));

            Assert.That(error!.Message, Does.Contain("Label.Code: is required but is null."));
            await uow.CommitAsync();
        }

        Assert.That(await CodesAsync(), Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public async Task Values_within_the_mapping_are_written_and_a_filter_value_is_not_checked_as_one()
    {
        var longFilter = new string('y', 25); // compared with, never written: no rule applies to it

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var changed = await uow.Repository<Label>().Query().Where(x => x.Code != longFilter).UpdateAllAsync(s => s.Set(x => x.Code, "0123456789").Set(x => x.Note, (string?)null));
            Assert.That(changed, Is.EqualTo(2));
            await uow.CommitAsync();
        }

        Assert.That(await CodesAsync(), Is.EqualTo(new[] { "0123456789", "0123456789" }));
    }

    private async Task<string[]> CodesAsync()
    {
        await using var connection = await OpenConnectionAsync();
        return (await connection.QueryAsync<string>($"SELECT {Q("Code")} FROM {Q("bulk_labels")} ORDER BY {Q("Id")}")).ToArray();
    }

    public sealed class Label
    {
        public long Id { get; set; }

        public string Code { get; set; } = "";

        public string? Note { get; set; }
    }

    private sealed class LabelMap : ModelConfiguration<Label>
    {
        public override void Configure(EntityBuilder<Label> e)
        {
            e.ToTable("bulk_labels");
            e.HasKey(x => x.Id).IsClientAssigned();
            e.Property(x => x.Code).HasMaxLength(10);
        }
    }
}
