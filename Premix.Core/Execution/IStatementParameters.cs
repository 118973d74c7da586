using System.Data.Common;

namespace Premix.Execution;

/// <summary>
/// The parameters of one statement, whatever built them (a plan binding an entity, a query's captured values, a raw
/// statement's arguments): the executor binds, logs and scrubs them through this contract alone.
/// </summary>
internal interface IStatementParameters
{
    /// <summary>Adds the parameters to <paramref name="command"/>, whose text is already set (a list may rewrite it).</summary>
    void AddTo(DbCommand command);

    /// <summary>Pairs of name and value for logs, with sensitive values already masked.</summary>
    IEnumerable<KeyValuePair<string, object?>> Describe();

    /// <summary>The sensitive values as text, so they can be scrubbed from the driver's messages.</summary>
    IEnumerable<string> SensitiveValues();

    /// <summary>
    /// Whether the statement's text is one Premix wrote and sends again unchanged, worth making positional once
    /// (<see cref="Providers.IPositionalPlaceholders"/>): not raw SQL, which is the caller's and left to the driver, nor a
    /// text made for one call.
    /// </summary>
    bool TextIsReused => true;

    /// <summary>
    /// Sets this call's values on <paramref name="parameters"/> from index <paramref name="at"/> on (moved past them), where
    /// another call of the same statement bound them (a command kept on a held connection: <see cref="HeldCommands"/>),
    /// in the order <see cref="AddTo(DbCommand)"/> binds them; <see langword="false"/> when they were not bound that way
    /// (a list expanded for this call, fewer parameters, a parameter under another name), and the caller then binds anew.
    /// </summary>
    bool SetValuesOn(DbParameterCollection parameters, ref int at) => false;
}

/// <summary>Parameters that can also bind one statement of a <see cref="DbBatch"/> (the writes a commit sends together).</summary>
internal interface IBatchParameters : IStatementParameters
{
    /// <summary>Adds the parameters to <paramref name="command"/>, one statement of a batch.</summary>
    void AddTo(DbBatchCommand command);
}
