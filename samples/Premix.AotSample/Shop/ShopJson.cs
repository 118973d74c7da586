using System.Text.Json;
using System.Text.Json.Serialization;

namespace AotShop;

/// <summary>The JSON of every body the endpoints read or write, generated at build time: native AOT has no reflection-based serializer.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Author))]
[JsonSerializable(typeof(Book))]
[JsonSerializable(typeof(AuthorInput))]
[JsonSerializable(typeof(BookInput))]
[JsonSerializable(typeof(IReadOnlyList<Author>))]
[JsonSerializable(typeof(IReadOnlyList<Book>))]
[JsonSerializable(typeof(IReadOnlyList<AuthorBooks>))]
[JsonSerializable(typeof(IReadOnlyList<AuthorContact>))]
[JsonSerializable(typeof(IReadOnlyList<long>))]
[JsonSerializable(typeof(IReadOnlyList<BookTitle>))]
[JsonSerializable(typeof(IReadOnlyList<BookLine>))]
[JsonSerializable(typeof(IReadOnlyList<decimal>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(SaleInput[]))]
[JsonSerializable(typeof(SaleLine))]
[JsonSerializable(typeof(LineInput))]
[JsonSerializable(typeof(IReadOnlyList<SaleLine>))]
[JsonSerializable(typeof(long[]))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class ShopJson : JsonSerializerContext;
