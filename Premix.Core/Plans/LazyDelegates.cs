using System.Linq.Expressions;

namespace Premix.Plans;

/// <summary>
/// Compiles the delegates of plans on their first call instead of at startup: <c>Expression.Compile</c> is most of what
/// building plans costs, and an application calls few of them soon. The expression is still built at startup, so every
/// mapping problem it finds (a property without a setter, a converter of the wrong type) still fails the start; only
/// the compilation waits. Each delegate is compiled once, whichever threads make its first call together.
/// </summary>
internal static class LazyDelegates
{
    [ThreadStatic]
    private static int t_compiled;

    /// <summary>How many delegates this thread has compiled so far (tests count what startup compiles with it).</summary>
    public static int CompiledOnThisThread => t_compiled;

    /// <summary>Compiles <paramref name="lambda"/> now, counted.</summary>
    public static T Compile<T>(Expression<T> lambda)
        where T : Delegate
    {
        t_compiled++;
        return lambda.Compile();
    }

    /// <summary>Compiles <paramref name="lambda"/> now, counted; for a delegate type known only at run time.</summary>
    public static Delegate Compile(LambdaExpression lambda)
    {
        t_compiled++;
        return lambda.Compile();
    }

    /// <summary>A delegate that compiles <paramref name="lambda"/> on its first call, then calls it.</summary>
    public static Func<TArg, TResult> Compiled<TArg, TResult>(Expression<Func<TArg, TResult>> lambda) => OnFirstUse(() => Compile(lambda));

    /// <inheritdoc cref="Compiled{TArg, TResult}(Expression{Func{TArg, TResult}})"/>
    public static Func<TArg1, TArg2, TResult> Compiled<TArg1, TArg2, TResult>(Expression<Func<TArg1, TArg2, TResult>> lambda) => OnFirstUse(() => Compile(lambda));

    /// <inheritdoc cref="Compiled{TArg, TResult}(Expression{Func{TArg, TResult}})"/>
    public static Action<TArg1, TArg2> Compiled<TArg1, TArg2>(Expression<Action<TArg1, TArg2>> lambda) => OnFirstUse(() => Compile(lambda));

    /// <summary>A delegate that makes the real one with <paramref name="create"/> on its first call (once), then calls it.</summary>
    public static Func<TArg, TResult> OnFirstUse<TArg, TResult>(Func<Func<TArg, TResult>> create)
    {
        var once = new Lazy<Func<TArg, TResult>>(create, LazyThreadSafetyMode.ExecutionAndPublication);
        return arg => once.Value(arg);
    }

    /// <inheritdoc cref="OnFirstUse{TArg, TResult}(Func{Func{TArg, TResult}})"/>
    public static Func<TArg1, TArg2, TResult> OnFirstUse<TArg1, TArg2, TResult>(Func<Func<TArg1, TArg2, TResult>> create)
    {
        var once = new Lazy<Func<TArg1, TArg2, TResult>>(create, LazyThreadSafetyMode.ExecutionAndPublication);
        return (arg1, arg2) => once.Value(arg1, arg2);
    }

    /// <inheritdoc cref="OnFirstUse{TArg, TResult}(Func{Func{TArg, TResult}})"/>
    public static Action<TArg1, TArg2> OnFirstUse<TArg1, TArg2>(Func<Action<TArg1, TArg2>> create)
    {
        var once = new Lazy<Action<TArg1, TArg2>>(create, LazyThreadSafetyMode.ExecutionAndPublication);
        return (arg1, arg2) => once.Value(arg1, arg2);
    }
}
