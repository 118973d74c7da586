using Premix.Cli;

return await PremixCommandLine.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
