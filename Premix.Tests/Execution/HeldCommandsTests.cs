using Microsoft.Data.Sqlite;
using Premix.Execution;

namespace Premix.Tests.Execution;

/// <summary>
/// What a command kept on a held connection (<c>HeldCommands</c>) keeps between two reads of its statement: its parameter
/// objects, to be set again, but none of the values the last read bound. An in-memory SQLite connection; nothing runs.
/// </summary>
public sealed class HeldCommandsTests
{
    [Test]
    public void A_command_given_back_keeps_its_parameters_without_their_values_and_is_taken_again_for_its_text_only()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        var sql = "SELECT @secret, @take";
        var command = connection.CreateCommand();
        command.CommandText = sql;
        var secret = command.Parameters.AddWithValue("@secret", "s3cret");
        command.Parameters.AddWithValue("@take", 1);

        var kept = HeldCommands.GiveBack(connection, sql, command);
        var other = HeldCommands.Take(connection, new string(sql.AsSpan()), mayPrepare: false, out _); // an equal text, another string
        var taken = HeldCommands.Take(connection, sql, mayPrepare: false, out _);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((kept, other), Is.EqualTo((true, (SqliteCommand?)null)), "kept; found by the plan's string, not by an equal one");
            Assert.That(taken, Is.SameAs(command));
            Assert.That(taken!.Parameters.Cast<SqliteParameter>().Select(p => (p.ParameterName, p.Value)), Is.EqualTo(new[] { ("@secret", (object?)null), ("@take", null) }));
            Assert.That(taken.Parameters[0], Is.SameAs(secret), "the parameter object itself, to be set again");
        }
    }

    [Test]
    public void A_command_given_back_after_its_connection_closed_is_not_kept()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        var command = connection.CreateCommand();
        connection.Close();

        Assert.That(HeldCommands.GiveBack(connection, "SELECT 1", command), Is.False);
    }
}
