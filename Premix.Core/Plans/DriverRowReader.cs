using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;

namespace Premix.Plans;

/// <summary>
/// A plan's compiled row reader that calls the getters of the driver's own reader class (<c>NpgsqlDataReader.GetString</c>)
/// instead of <see cref="DbDataReader"/>'s virtual ones, once the first statement shows that class and the class is sealed.
/// </summary>
/// <remarks>
/// A compiled expression is a dynamic method, which the JIT compiles once, optimized but without the tiered profile that
/// lets it turn a virtual call into a direct, inlined one (as it does in code written by hand). On a sealed class every
/// call is direct, so the getters inline: reading 1000 rows of five columns with Npgsql cost 217–228 µs of CPU through the
/// virtual getters and 188–194 µs through Npgsql's own, against 182–184 µs for the same loop written by hand (docs/performance.md).
/// Compiled on first use: once for the class seen first, and once more for <see cref="DbDataReader"/> only if a reader of
/// another class (a profiler's wrapper) ever comes, so at most two compilations. Projections (<c>Select</c>) use it too.
/// The expression is dropped once both forms are compiled. Until then a reader of the other kind may still come, so in the
/// usual case (one driver, one class, lazy compilation) the plan keeps it for its life, as a lazily compiled delegate keeps
/// its expression until its first call.
/// </remarks>
internal sealed class DriverRowReader : Execution.RowReader
{
    private Expression<Func<DbDataReader, object>>? _lambda; // read and dropped under _compiling
    private volatile Func<DbDataReader, object>? _general;
    private readonly Lock _compiling = new();
    private volatile Typed? _typed;

    /// <param name="lambda">The reader, written against <see cref="DbDataReader"/>.</param>
    public DriverRowReader(Expression<Func<DbDataReader, object>> lambda)
    {
        _lambda = lambda;
        if (LazyDelegates.Eager)
        {
            // Tests that start a model eagerly compile every reader at once, so a reader that cannot compile fails the start.
            _general = CompileReturningItsClass(lambda);
        }
    }

    /// <inheritdoc />
    public override Func<DbDataReader, object> Open(DbDataReader reader, string sql)
    {
        var type = reader.GetType();
        if (_typed is { } typed && typed.Reader == type)
        {
            return typed.Read;
        }

        // Under native AOT a compiled expression is interpreted: a direct call gains nothing there, and this branch (with
        // its reflection over the driver's class) leaves the binary.
        if (System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported && _typed is null && type.IsSealed)
        {
            return ForFirstClass(type);
        }

        return _general ?? General();
    }

    /// <summary>
    /// The reader class whose own getters this reader calls (<c>NpgsqlDataReader</c>); <see cref="DbDataReader"/> once
    /// making that form failed; null until a statement shows a sealed class (and always for SQLite's unsealed reader).
    /// </summary>
    internal Type? ReadsThrough => _typed?.Reader;

    // The first statements' threads compile one reader between them, as every lazily compiled delegate is compiled once.
    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    private Func<DbDataReader, object> ForFirstClass(Type type)
    {
        Typed typed;
        lock (_compiling)
        {
            typed = _typed ??= TypedFor(type);
            DropLambdaOnceBothCompiled();
        }

        return typed.Reader == type ? typed.Read : _general ?? General();
    }

    // The typed form only saves time, so a driver's class it cannot be made for (reflection or compilation refusing something
    // no driver in use does) must not fail the statement: the plan settles on the general form, once, for every class
    // (no reader's class is the abstract DbDataReader, so the check in Open never matches it).
    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    private Typed TypedFor(Type type)
    {
        try
        {
            return new Typed(type, CompileReturningItsClass(ForClass(_lambda!, type)));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or AmbiguousMatchException or NotSupportedException or MemberAccessException)
        {
            return new Typed(typeof(DbDataReader), _general ??= CompileReturningItsClass(_lambda!));
        }
    }

    private Func<DbDataReader, object> General()
    {
        lock (_compiling)
        {
            var general = _general ??= CompileReturningItsClass(_lambda!);
            DropLambdaOnceBothCompiled();
            return general;
        }
    }

    // Nothing compiles again once both forms exist (Open only compiles while one is missing), so the tree can go.
    private void DropLambdaOnceBothCompiled()
    {
        if (_general is not null && _typed is not null)
        {
            _lambda = null;
        }
    }

    /// <summary>Whether the reader still holds its expression (until both forms are compiled).</summary>
    internal bool HoldsExpression => _lambda is not null;

    /// <summary>
    /// <paramref name="lambda"/> with its reader cast once to <paramref name="readerClass"/> and every call of a
    /// <see cref="DbDataReader"/> method on it made to that class's override: the same methods, called directly.
    /// </summary>
    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    internal static Expression<Func<DbDataReader, object>> ForClass(Expression<Func<DbDataReader, object>> lambda, Type readerClass)
    {
        var reader = lambda.Parameters[0];
        var typed = Expression.Variable(readerClass, "driverReader");
        var body = new Retarget(reader, typed).Visit(lambda.Body);
        return Expression.Lambda<Func<DbDataReader, object>>(Expression.Block([typed], Expression.Assign(typed, Expression.Convert(reader, readerClass)), body), reader);
    }

    /// <summary>
    /// <paramref name="lambda"/> compiled to return the class it builds (<c>Func&lt;DbDataReader, Customer&gt;</c>, seen through
    /// <c>Func</c>'s covariance), so that a read into a list of that class (<see cref="Execution.SqlExecutor.ReadRowsAsync{T}(bool, DbConnection, DbTransaction?, Execution.Command, Execution.RowReader, int, CancellationToken, List{T}?, Execution.ISqlSession?)"/>)
    /// calls it as such and casts no row; a value built as a value type stays boxed. Under native AOT, where the tree is
    /// interpreted, as written.
    /// </summary>
    internal static Func<DbDataReader, object> CompileReturningItsClass(Expression<Func<DbDataReader, object>> lambda) =>
        System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported && Unboxed(lambda.Body) is var body && body != lambda.Body
            ? CompileReturning(body, lambda.Parameters)
            : LazyDelegates.Compile(lambda);

    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    private static Func<DbDataReader, object> CompileReturning(Expression body, IReadOnlyList<ParameterExpression> parameters)
    {
        var typed = Expression.Lambda(Expression.GetFuncType(typeof(DbDataReader), body.Type), body, parameters);
        return (Func<DbDataReader, object>)LazyDelegates.Compile(typed);
    }

    // The body without its last conversion of a class to object (the readers end in one, in a block or two).
    private static Expression Unboxed(Expression body) => body switch
    {
        UnaryExpression { NodeType: ExpressionType.Convert, Method: null, Operand: var built } when body.Type == typeof(object) && !built.Type.IsValueType && built.Type != typeof(object) => built,
        BlockExpression block when Unboxed(block.Result) is var result && result != block.Result => Expression.Block(block.Variables, [.. block.Expressions.SkipLast(1), result]),
        _ => body,
    };

    private sealed record Typed(Type Reader, Func<DbDataReader, object> Read);

    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    private sealed class Retarget(ParameterExpression reader, ParameterExpression typed) : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            var arguments = Visit(node.Arguments);
            if (node.Object != reader)
            {
                return node.Update(Visit(node.Object), arguments);
            }

            return Expression.Call(typed, Override(node.Method) ?? node.Method, arguments);
        }

        // The reader class's public override of a DbDataReader method; null where it has none (the base method then serves).
        [UnconditionalSuppressMessage("Trimming", "IL2075:UnrecognizedReflectionPattern", Justification = "An override trimming removed is not found: the DbDataReader method is called instead, which dispatches to the same code (a miss costs the direct call, never a wrong read).")]
        [UnconditionalSuppressMessage("Trimming", "IL2060:MakeGenericMethod", Justification = "DbDataReader's generic getters (GetFieldValue<T>) put no DynamicallyAccessedMembers on T, nor may an override.")]
        private MethodInfo? Override(MethodInfo method)
        {
            var parameters = Array.ConvertAll(method.GetParameters(), p => p.ParameterType);
            if (!method.IsGenericMethod)
            {
                // Arity 0: a generic method of the same name and parameters (GetString<T>(int)) is never the override.
                return typed.Type.GetMethod(method.Name, genericParameterCount: 0, BindingFlags.Public | BindingFlags.Instance, binder: null, parameters, modifiers: null) is { } own && own.GetBaseDefinition() == method.GetBaseDefinition() ? own : null;
            }

            var definition = method.GetGenericMethodDefinition();
            foreach (var candidate in typed.Type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            {
                if (candidate.IsGenericMethodDefinition && candidate.Name == method.Name && candidate.GetBaseDefinition() == definition.GetBaseDefinition())
                {
                    return candidate.MakeGenericMethod(method.GetGenericArguments());
                }
            }

            return null;
        }
    }
}
