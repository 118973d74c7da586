using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using Premix.Mapping;

namespace Premix.Plans;

/// <summary>
/// A value converter's two expressions as C#, for the generated model (docs/aot.md): <c>premix optimize</c> writes each as
/// the body of a typed method, and the start prints the mapping's converter again and compares the text, so a converter
/// changed since generation fails the start. Only what converters use is printed: their parameter, member access, method and
/// constructor calls, conversions, conditionals, comparisons (null checks) and constants of a primitive, enum or string type;
/// anything else (a nested or invoked lambda, a member generated code cannot name, a captured local, parameter or object, a
/// field that is not readonly) is refused, named, with the way out for a value.
/// </summary>
internal static class ConverterText
{
    /// <summary>The name the printed body gives the conversion's parameter.</summary>
    public const string Parameter = "value";

    /// <summary>
    /// The two conversions of <paramref name="converter"/> as C# expressions over <see cref="Parameter"/>, or why they cannot be
    /// printed (one sentence naming the direction and the construct). <paramref name="home"/> is the assembly the generated code
    /// is compiled into, whose internal types and members it can name (null when that is not known: public ones only).
    /// </summary>
    public static (string ToStored, string FromStored)? Print(ValueConverter converter, Assembly? home, out string? refusal)
    {
        var to = new Printer(converter.ToProvider.Parameters[0], home).Print(converter.ToProvider.Body, out var toRefusal);
        var from = new Printer(converter.FromProvider.Parameters[0], home).Print(converter.FromProvider.Body, out var fromRefusal);
        refusal = toRefusal is not null ? $"its conversion to the stored value uses {toRefusal}"
            : fromRefusal is not null ? $"its conversion from the stored value uses {fromRefusal}"
            : null;
        return refusal is null ? (to, from) : null;
    }

    /// <summary>What the generated model records of <paramref name="converter"/> and the start compares: both conversions as printed.</summary>
    public static string? Describe(ValueConverter converter, Assembly? home) =>
        Print(converter, home, out _) is var (to, from) ? $"{Parameter} => {to} | {Parameter} => {from}" : null;

    /// <summary>
    /// A value a query filter reads on every query (a slot of its predicate: a constant, a static member, a readonly number field)
    /// as a C# expression of the node's own type, or why it cannot be printed (the construct, named). <paramref name="home"/>
    /// is as in <see cref="Print"/>.
    /// </summary>
    public static string? PrintValue(Expression node, Assembly? home, out string? refusal)
    {
        // No parameter: a slot mentions none (CapturedValues.IsEvaluable). The boxed value must have the node's type, as the
        // compiled reader's Convert(node, object) gives it: a constant, a member, a call, a constructor, a default and a cast
        // print as C# of exactly that type; any other node (an operator, a conditional) is cast to it.
        var typed = node is ConstantExpression or MemberExpression or MethodCallExpression or NewExpression or DefaultExpression
            or UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked or ExpressionType.TypeAs };
        var text = new Printer(Expression.Parameter(typeof(object), "row"), home).Print(typed ? node : Expression.Convert(node, node.Type), out refusal);
        return refusal is null ? text : null;
    }

    /// <summary>The assembly generated code naming <paramref name="entity"/> is known to be compiled into (see <see cref="HomeOf(PropertyModel)"/>), or null.</summary>
    public static Assembly? HomeOf(Type entity) => entity.IsVisible ? null : entity.Assembly;

    /// <summary>
    /// The assembly the generated code of <paramref name="property"/> is known to be compiled into, or null. premix optimize
    /// writes code the application adds to the project it chooses, often not the entities' (a referenced domain project): only
    /// an entity other assemblies cannot see pins the code to the entity's assembly, since the code names the entity.
    /// </summary>
    public static Assembly? HomeOf(PropertyModel property) =>
        (property.Property.ReflectedType ?? property.Property.DeclaringType!) is { IsVisible: false } entity ? entity.Assembly : null;

    // One conversion's body; the first construct it cannot print is kept as the refusal (what follows is still walked, but unused).
    private sealed class Printer(ParameterExpression parameter, Assembly? home)
    {
        // How to give generated code a value it may not hard-code, the end of each such refusal (converters and filters alike), by
        // the value's type: a number, flag or enum may also be a readonly field of the mapping (printed and compared at the
        // start); text only a const; an object only a static member.
        private static string WayOut(Type type) =>
            IsNumber(type) ? "write it as a constant (a const local) or a readonly field of the mapping class, or read it through a public static property, field or method, which generated code reads on every use"
            : type == typeof(string) ? "write it as a constant (a const) or read it through a public static property, field or method, which generated code reads on every use"
            : "read it through a public static property, field or method, which generated code reads on every use";

        // A captured parameter of a method making the converter (a factory) can be neither a const nor a field of the map.
        private static string ForAParameter(Type type) => IsNumber(type) || type == typeof(string)
            ? "; for a parameter of the method that makes the lambda, make one lambda per value (as ValueConverters.DateTimeKind does) or build it with Expression.Constant(value), which is written as a literal"
            : "";

        private static bool IsNumber(Type type) => type.IsPrimitive || type.IsEnum || type == typeof(decimal);

        private string? _refusal;

        public string Print(Expression body, out string? refusal)
        {
            var text = Node(body);
            refusal = _refusal;
            return text;
        }

        private string Refuse(string construct)
        {
            _refusal ??= construct;
            return "_";
        }

        private string Node(Expression node) => node switch
        {
            ParameterExpression p => p == parameter ? Parameter : Refuse($"the variable {p.Name}, which is not its parameter"),
            ConstantExpression c => Constant(c.Value, c.Type),
            DefaultExpression d when d.Type != typeof(void) => $"default({Type(d.Type)})",
            MemberExpression m => Member(m),
            MethodCallExpression call => Call(call),
            NewExpression create => New(create),
            UnaryExpression unary => Unary(unary),
            BinaryExpression binary => Binary(binary),
            ConditionalExpression conditional => $"(({Node(conditional.Test)}) ? ({Node(conditional.IfTrue)}) : ({Node(conditional.IfFalse)}))",
            LambdaExpression => Refuse("a nested lambda"),
            InvocationExpression => Refuse("an invoked delegate or lambda"),
            _ => Refuse($"an expression of kind {node.NodeType}"),
        };

        // Only values of a type C# writes as a literal: anything else would be an object the generated code cannot recreate.
        private string Constant(object? value, Type type)
        {
            if (value is null)
            {
                return $"default({Type(type)})";
            }

            // A constant typed as another type than its value's (an enum typed object): the literal keeps its value's type,
            // and a cast gives it the node's, so the object is the boxed enum, as the compiled expression's, not its number.
            var own = value is Type ? typeof(Type) : value.GetType();
            return type == own || Nullable.GetUnderlyingType(type) == own ? Literal(value, type) : $"(({Type(type)})({Literal(value, type)}))";
        }

        private string Literal(object value, Type type) => value switch
        {
            string text => CSharpText.Literal(text),
            bool flag => flag ? "true" : "false",
            Type named => $"typeof({Type(named)})",
            Enum => $"(({Type(value.GetType())})({Number(System.Convert.ChangeType(value, Enum.GetUnderlyingType(value.GetType()), CultureInfo.InvariantCulture))}))",
            char c => $"((global::System.Char){(int)c})",
            _ when value.GetType().IsPrimitive || value is decimal => $"(({Type(value.GetType())}){Number(value)})",
            _ => Refuse($"a constant of type {type.Name}, which C# cannot write as a literal"),
        };

        private string Number(object value) => value switch
        {
            double d when !double.IsFinite(d) => double.IsNaN(d) ? "global::System.Double.NaN" : d > 0 ? "global::System.Double.PositiveInfinity" : "global::System.Double.NegativeInfinity",
            float f when !float.IsFinite(f) => float.IsNaN(f) ? "global::System.Single.NaN" : f > 0 ? "global::System.Single.PositiveInfinity" : "global::System.Single.NegativeInfinity",
            double d => $"({d.ToString("R", CultureInfo.InvariantCulture)}D)",
            float f => $"({f.ToString("R", CultureInfo.InvariantCulture)}F)",
            decimal m => $"({m.ToString(CultureInfo.InvariantCulture)}M)",
            long or uint or ulong => $"({((IFormattable)value).ToString(null, CultureInfo.InvariantCulture)}{(value is long ? "L" : value is uint ? "U" : "UL")})",
            IFormattable number => $"({number.ToString(null, CultureInfo.InvariantCulture)})",
            _ => Refuse($"a constant of type {value.GetType().Name}, which C# cannot write as a literal"),
        };

        private string Member(MemberExpression access)
        {
            // A value the lambda reads from an object: written as its value only when it is a readonly field (it cannot change
            // after the constructor: the mapping's own) of a number, a flag or an enum; the start prints it again and compares,
            // so a value changed since generation fails the start. Any other field can change after the start while generated
            // code would keep the old value: a field of the mapping that is not readonly, and a captured local or parameter (a
            // field of the compiler's closure, which any other lambda of its scope can set, say an options monitor's OnChange).
            // The refusal names the value, not text or an object: text may be a secret.
            if (access.Expression is ConstantExpression { Value: var holder })
            {
                var closure = holder is not null && holder.GetType().IsDefined(typeof(CompilerGeneratedAttribute), inherit: false);
                var name = closure ? $"the captured variable {access.Member.Name}"
                    : $"the {(access.Member is FieldInfo ? "field" : "property")} {access.Member.DeclaringType!.Name}.{access.Member.Name}";
                var wayOut = WayOut(access.Type) + (closure ? ForAParameter(access.Type) : "");
                if (holder is not null && access.Member is FieldInfo field && IsNumber(field.FieldType))
                {
                    var value = field.GetValue(holder);
                    if (field.IsInitOnly)
                    {
                        return Constant(value, field.FieldType);
                    }

                    var shown = string.Create(CultureInfo.InvariantCulture, $"{value}");
                    return Refuse(closure
                        ? $"{name} (now {shown}), which another lambda of its scope could change after generated code hard-coded it; {wayOut}"
                        : $"{name} (now {shown}), which can change after generated code hard-coded it; {wayOut}");
                }

                return Refuse($"{name}, whose value generated code would have to hard-code; {wayOut}");
            }

            var visible = access.Member switch
            {
                PropertyInfo property => property.GetMethod is { } getter && Reachable(getter),
                FieldInfo field => field.IsPublic || (field.IsAssembly && field.DeclaringType!.Assembly == home),
                _ => false,
            };
            if (!visible || !Nameable(access.Member.DeclaringType!))
            {
                return Refuse($"the member {access.Member.DeclaringType!.Name}.{access.Member.Name}, which generated code cannot reach; make it public");
            }

            return access.Expression is null ? $"{Type(access.Member.DeclaringType!)}.{access.Member.Name}" : $"({Node(access.Expression)}).{access.Member.Name}";
        }

        private string Call(MethodCallExpression call)
        {
            var method = call.Method;
            if (method.IsSpecialName || !Reachable(method) || !Nameable(method.DeclaringType!)
                || method.GetParameters().Any(p => p.ParameterType.IsByRef) || method.GetGenericArguments().Any(a => !Nameable(a)))
            {
                return Refuse($"the method {method.DeclaringType!.Name}.{method.Name}, which generated code cannot call");
            }

            var generic = method.IsGenericMethod ? $"<{string.Join(", ", method.GetGenericArguments().Select(Type))}>" : "";
            var arguments = string.Join(", ", call.Arguments.Select(Node));
            return call.Object is null
                ? $"{Type(method.DeclaringType!)}.{method.Name}{generic}({arguments})"
                : $"({Node(call.Object)}).{method.Name}{generic}({arguments})";
        }

        private string New(NewExpression create)
        {
            if (create.Constructor is null)
            {
                return $"default({Type(create.Type)})"; // new S() of a struct without a declared constructor
            }

            if (create.Members is not null || !Reachable(create.Constructor) || !Nameable(create.Type))
            {
                return Refuse($"the constructor of {create.Type.Name}, which generated code cannot call");
            }

            return $"new {Type(create.Type)}({string.Join(", ", create.Arguments.Select(Node))})";
        }

        // A tree's Convert, Negate, Add, Subtract and Multiply never check overflow, and their *Checked forms always do; C# would
        // take the compiling project's CheckForOverflowUnderflow for a bare cast or operator, so each says which it is.
        private string Unary(UnaryExpression unary) => unary.NodeType switch
        {
            ExpressionType.Convert => $"unchecked(({Type(unary.Type)})({Node(unary.Operand)}))",
            ExpressionType.ConvertChecked => $"checked(({Type(unary.Type)})({Node(unary.Operand)}))",
            ExpressionType.TypeAs => $"(({Node(unary.Operand)}) as {Type(unary.Type)})",
            ExpressionType.Not when unary.Operand.Type == typeof(bool) || unary.Operand.Type == typeof(bool?) => $"(!({Node(unary.Operand)}))",
            ExpressionType.Not => $"(~({Node(unary.Operand)}))",
            ExpressionType.Negate => $"unchecked(-({Node(unary.Operand)}))",
            ExpressionType.NegateChecked => $"checked(-({Node(unary.Operand)}))",
            ExpressionType.UnaryPlus => $"(+({Node(unary.Operand)}))",
            ExpressionType.ArrayLength => $"({Node(unary.Operand)}).Length",
            _ => Refuse($"an expression of kind {unary.NodeType}"),
        };

        private string Binary(BinaryExpression binary)
        {
            var symbol = binary.NodeType switch
            {
                ExpressionType.Equal => "==",
                ExpressionType.NotEqual => "!=",
                ExpressionType.AndAlso => "&&",
                ExpressionType.OrElse => "||",
                ExpressionType.Coalesce when binary.Conversion is null => "??",
                ExpressionType.LessThan => "<",
                ExpressionType.LessThanOrEqual => "<=",
                ExpressionType.GreaterThan => ">",
                ExpressionType.GreaterThanOrEqual => ">=",
                ExpressionType.Add or ExpressionType.AddChecked => "+",
                ExpressionType.Subtract or ExpressionType.SubtractChecked => "-",
                ExpressionType.Multiply or ExpressionType.MultiplyChecked => "*",
                ExpressionType.Divide => "/",
                ExpressionType.Modulo => "%",
                ExpressionType.And => "&",
                ExpressionType.Or => "|",
                ExpressionType.ExclusiveOr => "^",
                _ => null,
            };
            var overflow = binary.NodeType switch
            {
                ExpressionType.Add or ExpressionType.Subtract or ExpressionType.Multiply => "unchecked",
                ExpressionType.AddChecked or ExpressionType.SubtractChecked or ExpressionType.MultiplyChecked => "checked",
                _ => "",
            };
            return symbol is null ? Refuse($"an expression of kind {binary.NodeType}") : $"{overflow}(({Node(binary.Left)}) {symbol} ({Node(binary.Right)}))";
        }

        private string Type(Type type) => Nameable(type) ? CSharpText.TypeName(type) : Refuse($"the type {type.Name}, which generated code cannot name");

        private bool Reachable(MethodBase method) => method.IsPublic || (method.IsAssembly && method.DeclaringType!.Assembly == home);

        // A type the generated code can write: public, or internal to the assembly it is known to be compiled into,
        // never a private nested or compiler-generated one, and so are its type arguments.
        private bool Nameable(Type type)
        {
            if (type.HasElementType)
            {
                return type.IsArray && Nameable(type.GetElementType()!);
            }

            if (type.IsGenericParameter || type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false))
            {
                return false;
            }

            if (type.IsGenericType && !type.GetGenericArguments().All(Nameable))
            {
                return false;
            }

            return type.IsNested
                ? (type.IsNestedPublic || (type.IsNestedAssembly && type.Assembly == home)) && Nameable(type.DeclaringType!)
                : type.IsPublic || type.Assembly == home;
        }
    }
}
