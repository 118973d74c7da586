using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Premix.Querying;

/// <summary>
/// What <see cref="PremixQuery"/> makes of a lambda once: the query model its chain of operators builds, with each of the
/// lambda's arguments standing where it is used; and, for every value of the model (its slots) and a parameterised
/// Skip/Take, a compiled delegate that computes it from a call's arguments. A call runs those delegates and nothing else
/// per value.
/// </summary>
/// <typeparam name="T">The queried entity.</typeparam>
/// <typeparam name="TArgs">
/// The lambda's arguments after the query, as a value tuple (<c>ValueTuple</c> for none); its fields (<c>Item1</c>, ...) are
/// kept for trimming, since a slot's delegate reads them.
/// </typeparam>
internal sealed class QueryTemplate<T, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] TArgs>
    where T : class
    where TArgs : struct
{
    // The operators a compiled query may chain: those that only describe the query. Running, bulk and SQL members are
    // what a call does, so they have no place in the lambda.
    private static readonly HashSet<string> Describing =
    [
        nameof(Query<T>.Where), nameof(Query<T>.OrderBy), nameof(Query<T>.OrderByDescending), nameof(Query<T>.ThenBy), nameof(Query<T>.ThenByDescending),
        nameof(Query<T>.Skip), nameof(Query<T>.Take), nameof(Query<T>.Include), nameof(Query<T>.AsNoTracking), nameof(Query<T>.WithDeleted), nameof(Query<T>.OnlyDeleted),
        nameof(Query<T>.IgnoreQueryFilter), nameof(Query<T>.IgnoreQueryFilters),
    ];

    private readonly QueryModel _tracked;
    private readonly QueryModel _untracked;
    private readonly ulong _lists;
    private readonly CompiledModels _compiledModels;

    // How a call's values are computed: compiled delegates over the arguments tuple, or, with dynamic code off, readers of the
    // tuple boxed once per call (ITuple), whatever the number of values (one box per value before).
    private readonly Readers<TArgs>? _compiled;
    private readonly Readers<ITuple>? _interpreted;

    /// <param name="query">The user's lambda: a <see cref="Query{T}"/> then the arguments, returning the described query.</param>
    /// <param name="placeholders">
    /// A read of a new <see cref="Placeholder{TArg}"/> per argument, in order (<see cref="Placeholder{TArg}.Read"/>): made by
    /// the caller, which knows the arguments' types statically, so no generic type is made at run time.
    /// </param>
    public QueryTemplate(LambdaExpression query, MemberExpression[] placeholders)
    {
        ArgumentNullException.ThrowIfNull(query);
        var root = query.Parameters[0];
        var arguments = Expression.Parameter(typeof(TArgs), "arguments");
        var standIns = new Placeholders(query.Parameters.Skip(1).ToArray(), placeholders, arguments);

        // The chain, innermost operator first, run on an empty query that has no unit of work: Query<T>'s own methods build
        // the model, so a compiled query means exactly what the same chain means uncompiled.
        var calls = Chain(query, root);
        if (calls is [.., { Method.Name: nameof(Query<T>.Select) } select])
        {
            // A projection's selector reads columns only (Projection refuses values), so it is kept as written.
            Selector = standIns.Replace(select.Arguments[0] is UnaryExpression { Operand: LambdaExpression selector } ? selector : throw new NotSupportedException($"PremixQuery.Compile needs Select's selector written in place in '{query}'."), root, query);
            calls.RemoveAt(calls.Count - 1);
        }

        object current = new Query<T>(null!, null!, QueryModel.Empty);
        Func<TArgs, int>? compiledSkip = null, compiledTake = null;
        Func<ITuple, int>? interpretedSkip = null, interpretedTake = null;
        foreach (var call in calls)
        {
            var values = new object?[call.Arguments.Count - (call.Object is null ? 1 : 0)];
            for (var i = 0; i < values.Length; i++)
            {
                var argument = call.Arguments[i + (call.Object is null ? 1 : 0)];
                if (argument.Type == typeof(int))
                {
                    // Skip(n) / Take(n): a constant stays in the model; anything else is computed per call.
                    // The last Skip (or Take) wins, as on Query<T>: a constant one also drops an earlier computed one.
                    var constant = argument is ConstantExpression { Value: int };
                    var compiled = constant || !RuntimeFeature.IsDynamicCodeSupported ? null
                        : Plans.LazyDelegates.Compile(Expression.Lambda<Func<TArgs, int>>(standIns.ToArguments(standIns.Replace(argument, root, query)), arguments));
                    var interpreted = constant || RuntimeFeature.IsDynamicCodeSupported ? null : InterpretedCount(standIns.Replace(argument, root, query), placeholders, call.Method.Name);
                    values[i] = constant ? ((ConstantExpression)argument).Value : 0;
                    if (call.Method.Name == nameof(Query<T>.Skip))
                    {
                        (compiledSkip, interpretedSkip) = (compiled, interpreted);
                    }
                    else
                    {
                        (compiledTake, interpretedTake) = (compiled, interpreted);
                    }

                    continue;
                }

                values[i] = argument is UnaryExpression { NodeType: ExpressionType.Quote, Operand: LambdaExpression lambda }
                    ? standIns.Replace(lambda, root, query)
                    : typeof(Expression).IsAssignableFrom(argument.Type)
                    ? throw new NotSupportedException($"PremixQuery.Compile cannot use '{argument}' in {call.Method.Name}: a predicate held in a variable would be read once, when compiled, and never again. Write the lambda in place, as in Where(c => c.Email == email), or use an uncompiled query.")
                    : CapturedValues.IsEvaluable(argument) ? CapturedValues.Evaluate(argument)
                    : throw new NotSupportedException($"PremixQuery.Compile cannot use '{argument}' in {call.Method.Name}: pass a lambda written in place, as in Where(c => c.Email == email).");
            }

            current = Invoke(call.Method, call.Object is null ? null : current, call.Object is null ? [current, .. values] : values);
        }

        var model = ((Query<T>)current).Model;
        (var slots, _lists) = QuerySlots.Find(model);
        if (slots.Count > 64)
        {
            throw new NotSupportedException($"The compiled query on {typeof(T).Name} has {slots.Count} values; a compiled query takes at most 64. Use an uncompiled query, or a list with Contains.");
        }

        // Captured variables and static members are read on every call too, as the uncompiled query reads them.
        if (RuntimeFeature.IsDynamicCodeSupported)
        {
            var values = new Func<TArgs, object?>[slots.Count];
            for (var i = 0; i < slots.Count; i++)
            {
                values[i] = slots[i] is ConstantExpression { Value: var constant } ? _ => constant
                    : Plans.LazyDelegates.Compile(Expression.Lambda<Func<TArgs, object?>>(Expression.Convert(standIns.ToArguments(slots[i]), typeof(object)), arguments));
            }

            _compiled = new(values, compiledSkip, compiledTake, readsArguments: true);
        }
        else
        {
            var values = new Func<ITuple, object?>[slots.Count];
            for (var i = 0; i < slots.Count; i++)
            {
                values[i] = slots[i] is ConstantExpression { Value: var constant } ? _ => constant : Interpreted<object?>(slots[i], placeholders);
            }

            // ReadsArguments must stay conservative (any reader that is not a constant's counts): Bind hands the readers no
            // tuple (null) when it is false, so a reader that did read it would fail.
            _interpreted = new(values, interpretedSkip, interpretedTake, interpretedSkip is not null || interpretedTake is not null || slots.Any(s => s is not ConstantExpression));
        }

        _tracked = model;
        _untracked = model.Tracking ? model with { Tracking = false } : model;
        _compiledModels = new CompiledModels(new QueryTranslations(slots, _tracked, _untracked), _tracked, _untracked);
    }

    /// <summary>The selector of a compiled projection (its last operator is <c>Select</c>).</summary>
    public LambdaExpression? Selector { get; }

    /// <summary>A query for one call: the repository's own new query (its unit of work, tracking, runner), this model, the call's values.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="repository"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The repository's unit of work was disposed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A Skip or Take argument is negative.</exception>
    public Query<T> Bind(IRepository<T> repository, TArgs arguments)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var start = repository.Query();
        // With dynamic code off the tuple is boxed here, once, and only when a reader reads it.
        return start.WithArguments(_tracked, _untracked, _compiled is { } compiled ? Read(compiled, arguments) : Read(_interpreted!, _interpreted!.ReadsArguments ? (ITuple)arguments : null!));
    }

    /// <summary>The call's values, by slot, and its computed Skip and Take, read from <paramref name="arguments"/>.</summary>
    private QueryArguments Read<TInput>(Readers<TInput> readers, TInput arguments)
    {
        var values = readers.Values.Length == 0 ? [] : new object?[readers.Values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = SequenceValues.ReadOnce(readers.Values[i](arguments), QuerySlots.IsList(_lists, i));
        }

        return new QueryArguments(_compiledModels, values, Count(readers.Skip, arguments, "Skip"), Count(readers.Take, arguments, "Take"));
    }

    /// <summary>
    /// With dynamic code off (native AOT), a value of each call read without compiling anything: an argument used as it is
    /// read from the call's tuple, anything else (<c>page * 2</c>, <c>prefix.Trim()</c>, a captured variable) evaluated as
    /// an uncompiled query's values are (<see cref="CapturedValues"/>), the placeholders reading the call's arguments.
    /// Native AOT would otherwise run the compiled delegate through the expression interpreter on every call.
    /// </summary>
    /// <remarks>The delegate takes the call's tuple boxed (<see cref="ITuple"/>): boxed once per call, not once per value.</remarks>
    private static Func<ITuple, TValue> Interpreted<TValue>(Expression value, MemberExpression[] placeholders)
    {
        // An argument used as it is: the same lookup as ArgumentValues.TryRead, done once here so the call reads its tuple
        // item without allocating an ArgumentValues.
        if (value is MemberExpression read && Array.IndexOf(placeholders, read) is var index and >= 0)
        {
            return arguments => (TValue)arguments[index]!;
        }

        return arguments => (TValue)CapturedValues.Evaluate(value, new ArgumentValues(placeholders, arguments))!;
    }

    /// <summary>
    /// With dynamic code off, a computed <c>Skip</c>/<c>Take</c> count read as <see cref="Interpreted{TValue}"/> reads a
    /// value; refuses, when the query is compiled, a count <see cref="CapturedValues"/> cannot evaluate (<c>ids.Length</c>,
    /// <c>-n</c>), which it would otherwise misread on every call. A slot is checked in the same way (<see cref="QuerySlots"/>).
    /// </summary>
    /// <exception cref="NotSupportedException"><paramref name="count"/> has a node <see cref="CapturedValues"/> does not evaluate.</exception>
    internal static Func<ITuple, int> InterpretedCount(Expression count, MemberExpression[] placeholders, string name) =>
        CapturedValues.IsEvaluable(count) ? Interpreted<int>(count, placeholders)
        : throw new NotSupportedException(
            $"PremixQuery.Compile cannot compute {name}({count}) on {typeof(T).Name} with dynamic code off (RuntimeFeature.IsDynamicCodeSupported is false: a native AOT binary, or a JIT build of a project with PublishAot). " +
            $"Fix: compute the count before the call and pass it as an argument of the compiled query.");

    private static int? Count<TInput>(Func<TInput, int>? count, TInput arguments, string name)
    {
        if (count is null)
        {
            return null;
        }

        var value = count(arguments);
        return value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"The compiled query on {typeof(T).Name} computed {name}({value}); {name} takes 0 or more rows.");
    }

    // The operators from the root parameter outwards; refuses anything but the describing members of Query<T> and ThenInclude.
    private static List<MethodCallExpression> Chain(LambdaExpression query, ParameterExpression root)
    {
        var calls = new List<MethodCallExpression>();
        var node = query.Body;
        while (node != root)
        {
            switch (node)
            {
                case UnaryExpression { NodeType: ExpressionType.Convert } convert:
                    node = convert.Operand;
                    break;
                case MethodCallExpression call when IsDescribing(call.Method) || (calls.Count == 0 && call.Method.DeclaringType == typeof(Query<T>) && call.Method.Name == nameof(Query<T>.Select)):
                    calls.Add(call);
                    node = call.Object ?? call.Arguments[0];
                    break;
                case MethodCallExpression call:
                    throw new NotSupportedException($"PremixQuery.Compile cannot compile {call.Method.Name} in '{query}': a compiled query chains Where, OrderBy(Descending), ThenBy(Descending), Skip, Take, Include, ThenInclude, AsNoTracking, WithDeleted, OnlyDeleted, IgnoreQueryFilter and IgnoreQueryFilters on its Query<{typeof(T).Name}> parameter, then optionally one Select; running it (ToListAsync, CountAsync, ...) is what a call does.");
                default:
                    throw new ArgumentException($"PremixQuery.Compile needs a lambda that starts from its Query<{typeof(T).Name}> parameter, as in (Query<{typeof(T).Name}> q, string email) => q.Where(c => c.Email == email); '{query}' does not.", nameof(query));
            }
        }

        calls.Reverse();
        return calls;
    }

    /// <summary>What computes a call's values (by slot) and its parameterised Skip and Take, from its arguments as <typeparamref name="TInput"/>.</summary>
    private sealed class Readers<TInput>(Func<TInput, object?>[] values, Func<TInput, int>? skip, Func<TInput, int>? take, bool readsArguments)
    {
        public Func<TInput, object?>[] Values { get; } = values;

        public Func<TInput, int>? Skip { get; } = skip;

        public Func<TInput, int>? Take { get; } = take;

        /// <summary>Whether any reader reads the arguments (a value that is not a constant, a computed Skip or Take).</summary>
        public bool ReadsArguments { get; } = readsArguments;
    }

    private static bool IsDescribing(MethodInfo method) =>
        method.DeclaringType == typeof(Query<T>) ? Describing.Contains(method.Name)
        : method.DeclaringType == typeof(IncludeQueryExtensions) && method.Name == nameof(IncludeQueryExtensions.ThenInclude);

    private static object Invoke(MethodInfo method, object? target, object?[] arguments)
    {
        try
        {
            return method.Invoke(target, arguments)!;
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(exception.InnerException).Throw();
            throw;
        }
    }

    /// <summary>
    /// The lambda's arguments inside the model: each becomes a read of a placeholder object's field, a value Premix's query
    /// translation takes for a captured variable (so it becomes a parameter); a slot's delegate reads the call's argument
    /// from the tuple instead.
    /// </summary>
    private sealed class Placeholders(ParameterExpression[] parameters, MemberExpression[] placeholders, ParameterExpression arguments) : ExpressionVisitor
    {
        private readonly Expression[] _placeholders = placeholders;

        private bool _toArguments;

        /// <summary><paramref name="node"/> with the lambda's arguments as placeholders; refuses the query parameter anywhere but at the root.</summary>
        public TNode Replace<TNode>(TNode node, ParameterExpression root, LambdaExpression query)
            where TNode : Expression
        {
            if (new Finds(root).In(node))
            {
                throw new NotSupportedException($"PremixQuery.Compile cannot use the Query<{typeof(T).Name}> parameter inside an operator's argument in '{query}'.");
            }

            _toArguments = false;
            return (TNode)Visit(node);
        }

        /// <summary><paramref name="node"/> (a slot, or a Skip/Take count) with its placeholders read from the arguments tuple.</summary>
        public Expression ToArguments(Expression node)
        {
            _toArguments = true;
            return Visit(node);
        }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            var index = Array.IndexOf(parameters, node);
            return index < 0 ? node : _toArguments ? Item(index) : _placeholders[index];
        }

        protected override Expression VisitMember(MemberExpression node)
        {
            var index = _toArguments ? Array.IndexOf(_placeholders, node) : -1;
            return index >= 0 ? Item(index) : base.VisitMember(node);
        }

        // ValueTuple's fields: Item1, Item2, ...
        private MemberExpression Item(int index) =>
            Expression.Field(arguments, typeof(TArgs).GetField("Item" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))!);
    }

    private sealed class Finds(ParameterExpression parameter) : ExpressionVisitor
    {
        private bool _found;

        public bool In(Expression node)
        {
            Visit(node);
            return _found;
        }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            _found |= node == parameter;
            return node;
        }
    }
}

/// <summary>Stands for one argument of a compiled query inside its model; its field is never set or read.</summary>
/// <typeparam name="TArg">The argument's type.</typeparam>
internal sealed class Placeholder<TArg>
{
#pragma warning disable CS0649 // never assigned: only its expression node matters
    public TArg? Value;
#pragma warning restore CS0649

    /// <summary>A read of a new placeholder's <see cref="Value"/>: what stands for one argument in a compiled query's model.</summary>
    public static MemberExpression Read() => Expression.Field(Expression.Constant(new Placeholder<TArg>()), typeof(Placeholder<TArg>).GetField(nameof(Value))!);
}
