using Premix.WebApi;

var app = await LibraryApp.BuildAsync(args).ConfigureAwait(false);
await app.RunAsync().ConfigureAwait(false);
