using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;

namespace Premix.Plans;

/// <summary>
/// Compiles the delegates of plans on their first call instead of at startup: <c>Expression.Compile</c> is most of what
/// building plans costs, and an application calls few of them soon. The expression is still built at startup, so what
/// building it checks (a property without a setter, a converter of the wrong type) still fails the start, and the model
/// checks what only compiling would find (a converter's parameter it does not declare); only the compilation waits.
/// Each delegate is compiled once, whichever threads make its first call together.
/// </summary>
/// <remarks>
/// The delegate handed out first is a stand-in whose target is a <c>Once</c>; the hot paths (row readers, parameter
/// bindings, snapshots, comparers) pass their field through <see cref="Resolved{T}(ref T)"/>, which swaps the stand-in for
/// the compiled delegate, so after the first call they call the compiled delegate directly, with no extra hop.
/// </remarks>
internal static class LazyDelegates
{
    [ThreadStatic]
    private static int t_compiled;

    private static readonly AsyncLocal<bool> EagerFlow = new();

    // Shared by reference with the flows this one starts, so compiles on any thread of an awaited call are counted.
    private static readonly AsyncLocal<System.Runtime.CompilerServices.StrongBox<int>?> CountingFlow = new();

    /// <summary>How many delegates this thread has compiled so far (tests count what startup compiles with it).</summary>
    public static int CompiledOnThisThread => t_compiled;

    /// <summary>
    /// Starts counting the delegates compiled in this flow (and in the calls it awaits, whatever thread they resume on);
    /// tests read the box to show that a path compiles nothing (a generated model, docs/aot.md).
    /// </summary>
    public static System.Runtime.CompilerServices.StrongBox<int> CountInThisFlow()
    {
        var count = new System.Runtime.CompilerServices.StrongBox<int>();
        CountingFlow.Value = count;
        return count;
    }

    /// <summary>
    /// Whether plans built in this flow make every delegate at once, as before lazy compilation: tests start the
    /// feature-rich models with it so that what compiling or making a delegate by reflection checks is still checked in CI.
    /// </summary>
    public static bool Eager
    {
        get => EagerFlow.Value;
        set => EagerFlow.Value = value;
    }

    /// <summary>Compiles <paramref name="lambda"/> now, counted.</summary>
    public static T Compile<T>(Expression<T> lambda)
        where T : Delegate
    {
        Count();
        return lambda.Compile();
    }

    /// <summary>Compiles <paramref name="lambda"/> now, counted; for a delegate type known only at run time.</summary>
    public static Delegate Compile(LambdaExpression lambda)
    {
        Count();
        return lambda.Compile();
    }

    private static void Count()
    {
        t_compiled++;
        if (CountingFlow.Value is { } count)
        {
            Interlocked.Increment(ref count.Value);
        }
    }

    /// <summary>A delegate that compiles <paramref name="lambda"/> on its first call, then calls it.</summary>
    public static Func<TArg, TResult> Compiled<TArg, TResult>(Expression<Func<TArg, TResult>> lambda) => OnFirstUse(() => Compile(lambda));

    /// <inheritdoc cref="Compiled{TArg, TResult}(Expression{Func{TArg, TResult}})"/>
    public static Func<TArg1, TArg2, TResult> Compiled<TArg1, TArg2, TResult>(Expression<Func<TArg1, TArg2, TResult>> lambda) => OnFirstUse(() => Compile(lambda));

    /// <inheritdoc cref="Compiled{TArg, TResult}(Expression{Func{TArg, TResult}})"/>
    public static Action<TArg1, TArg2> Compiled<TArg1, TArg2>(Expression<Action<TArg1, TArg2>> lambda) => OnFirstUse(() => Compile(lambda));

    /// <summary>A delegate that makes the real one with <paramref name="create"/> on its first call (once), then calls it.</summary>
    public static Func<TArg, TResult> OnFirstUse<TArg, TResult>(Func<Func<TArg, TResult>> create) =>
        Eager ? create() : new Once<Func<TArg, TResult>>(create).Call<TArg, TResult>;

    /// <inheritdoc cref="OnFirstUse{TArg, TResult}(Func{Func{TArg, TResult}})"/>
    public static Func<TArg1, TArg2, TResult> OnFirstUse<TArg1, TArg2, TResult>(Func<Func<TArg1, TArg2, TResult>> create) =>
        Eager ? create() : new Once<Func<TArg1, TArg2, TResult>>(create).Call<TArg1, TArg2, TResult>;

    /// <inheritdoc cref="OnFirstUse{TArg, TResult}(Func{Func{TArg, TResult}})"/>
    public static Action<TArg1, TArg2> OnFirstUse<TArg1, TArg2>(Func<Action<TArg1, TArg2>> create) =>
        Eager ? create() : new Once<Action<TArg1, TArg2>>(create).Call<TArg1, TArg2>;

    /// <summary>The delegate <paramref name="field"/> stands for, made now if it is not yet; the field then holds it.</summary>
    /// <remarks>Racing threads may both write the field: they write the same delegate.</remarks>
    public static T Resolved<T>(ref T field)
        where T : Delegate
    {
        var current = field;
        if (current.Target is Once<T> once)
        {
            current = once.Value;
            field = current;
        }

        return current;
    }

    /// <summary>The delegate <paramref name="stand"/> stands for, made now if it is not yet.</summary>
    public static T Resolved<T>(T stand)
        where T : Delegate =>
        stand.Target is Once<T> once ? once.Value : stand;

    /// <summary>Whether the delegate <paramref name="field"/> stands for is made (tests check what startup left to first use).</summary>
    public static bool IsMade<T>(T field)
        where T : Delegate =>
        field.Target is not Once<T> once || once.IsMade;

    /// <summary>Makes a delegate once; its <c>Call</c> methods are the stand-ins handed out until then.</summary>
    /// <remarks>On the class: the trimmer reports the field and its reads too, not only the constructor.</remarks>
    [UnconditionalSuppressMessage("Trimming", "IL2091", Justification = "Lazy<T> asks for T's parameterless constructor only to make a value without a factory; this one always has its factory.")]
    private sealed class Once<T>
        where T : Delegate
    {
        private readonly Lazy<T> _value;

        public Once(Func<T> create) => _value = new(create, LazyThreadSafetyMode.ExecutionAndPublication);

        public T Value => _value.Value;

        public bool IsMade => _value.IsValueCreated;

        // One stand-in per delegate shape; each is only ever bound where T is that shape.
        public TResult Call<TArg, TResult>(TArg arg) => ((Func<TArg, TResult>)(object)Value)(arg);

        public TResult Call<TArg1, TArg2, TResult>(TArg1 arg1, TArg2 arg2) => ((Func<TArg1, TArg2, TResult>)(object)Value)(arg1, arg2);

        public void Call<TArg1, TArg2>(TArg1 arg1, TArg2 arg2) => ((Action<TArg1, TArg2>)(object)Value)(arg1, arg2);
    }
}
