using Dapper;
using Premix.Testing;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Testing;

/// <summary>ToSql() of a query with Include shows every statement it sends: exactly what a recorder sees when it runs.</summary>
public sealed class ToSqlStatementsTests(Engine engine) : PremixTest(engine)
{
    [Test]
    public async Task ToSql_of_a_query_with_includes_lists_exactly_the_statements_the_query_sends_in_order()
    {
        using var premix = await CreatePremixWithTablesAsync(new AuthorMap(), new BookMap());
        await using (var connection = await OpenConnectionAsync())
        {
            await connection.ExecuteAsync($"INSERT INTO {Q("authors")} ({Q("Name")}) VALUES ('Ada'), ('Alan'), ('Grace')");
            await connection.ExecuteAsync($"INSERT INTO {Q("books")} ({Q("AuthorId")}, {Q("Title")}) SELECT {Q("Id")}, 'a book' FROM {Q("authors")}");
        }

        await using var uow = premix.BeginUnitOfWork();
        var query = uow.Repository<Author>().Query().Where(a => a.Name.StartsWith("A")).OrderBy(a => a.Name).Include(a => a.Books).ThenInclude(b => b.Author);
        var predicted = query.ToSqlStatements();
        var sql = query.ToSql();

        using var queries = premix.RecordQueries();
        var authors = await query.ToListAsync();

        Assert.That(authors.Select(a => (a.Name, a.Books.Count)), Is.EqualTo(new[] { ("Ada", 1), ("Alan", 1) }), "the data seeded with plain SQL");
        Assert.That(queries.Statements.Select(s => s.Sql), Is.EqualTo(predicted), "root, then the books, then their authors");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(predicted, Has.Count.EqualTo(3));
            Assert.That(predicted[1], Does.Contain(Q("books")).And.Contain("@keys"));
            Assert.That(predicted[2], Does.Contain(Q("authors")).And.Contain("@keys"));
            Assert.That(sql, Is.EqualTo(string.Join(";" + Environment.NewLine + Environment.NewLine, predicted)));
            Assert.That(queries.Statements.Select(s => s.Operation), Is.EqualTo(new[] { "Query Rows", "Include", "Include" }));
        }
    }

    [Test]
    public async Task ToSql_of_a_query_without_includes_is_the_one_statement_it_sends()
    {
        using var premix = await CreatePremixWithTablesAsync(new AuthorMap(), new BookMap());
        await using var uow = premix.BeginUnitOfWork();
        var query = uow.Repository<Book>().Query().Where(b => b.Title == "x");

        using var queries = premix.RecordQueries();
        await query.ToListAsync();

        Assert.That(query.ToSql(), Is.EqualTo(queries.Statements.Single().Sql).And.Not.Contain(";"));
    }
}
