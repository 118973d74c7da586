using System.Text;

namespace Premix.Mapping;

/// <summary>Turns class and property names into table and column names when the mapping does not name them.</summary>
public abstract class NamingConvention
{
    /// <summary>Names as written in C# (<c>OrderLine.UnitPrice</c> gives <c>OrderLine.UnitPrice</c>).</summary>
    public static NamingConvention AsWritten { get; } = new AsWrittenConvention();

    /// <summary>snake_case names (<c>OrderLine.UnitPrice</c> gives <c>order_line.unit_price</c>), the PostgreSQL habit.</summary>
    public static NamingConvention SnakeCase { get; } = new SnakeCaseConvention();

    /// <summary>Converts one C# name.</summary>
    public abstract string Convert(string name);

    private sealed class AsWrittenConvention : NamingConvention
    {
        public override string Convert(string name) => name;
    }

    private sealed class SnakeCaseConvention : NamingConvention
    {
        public override string Convert(string name)
        {
            var result = new StringBuilder(name.Length + 8);
            for (var i = 0; i < name.Length; i++)
            {
                var c = name[i];
                if (char.IsUpper(c))
                {
                    var previousIsLowerOrDigit = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                    var endOfAcronym = i > 0 && char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1]);
                    if (previousIsLowerOrDigit || endOfAcronym)
                    {
                        result.Append('_');
                    }

                    result.Append(char.ToLowerInvariant(c));
                }
                else
                {
                    result.Append(c);
                }
            }

            return result.ToString();
        }
    }
}
