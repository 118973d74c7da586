using Premix;
using Premix.Cli;
using Premix.Cli.Connecting;

// The tool builds the application's host only to read its configuration: no startup check may run (docs/cli.md).
AppContext.SetSwitch(PremixDesignTime.Switch, true);
var parseResult = PremixCommandLine.Create().Parse(args);
return ApplicationRuntime.RunInsideIfNeeded(parseResult, args) ?? await parseResult.InvokeAsync().ConfigureAwait(false);
